namespace GraphRouter.Storage.Tests.Contract;

public sealed class SqliteSnapshotTests(SqliteStoreFixture fixture) : SnapshotContract(fixture), IClassFixture<SqliteStoreFixture>
{
    protected override bool NumbersFeedbackInCommitOrder => true;
}
