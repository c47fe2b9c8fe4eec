using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Cli.Tests;

[RequiresPostgres]
public sealed class PostgresCliTests(PostgresStoreUnderTest store) : CliContract(store), IClassFixture<PostgresStoreUnderTest>;
