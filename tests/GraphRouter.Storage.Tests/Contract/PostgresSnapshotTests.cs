using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

[RequiresPostgres]
public sealed class PostgresSnapshotTests(PostgresStoreFixture fixture) : SnapshotContract(fixture), IClassFixture<PostgresStoreFixture>
{
    protected override bool NumbersFeedbackInCommitOrder => false;
}
