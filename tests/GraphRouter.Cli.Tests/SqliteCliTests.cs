namespace GraphRouter.Cli.Tests;

public sealed class SqliteCliTests(SqliteStoreUnderTest store) : CliContract(store), IClassFixture<SqliteStoreUnderTest>;
