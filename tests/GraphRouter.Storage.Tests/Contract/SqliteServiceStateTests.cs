namespace GraphRouter.Storage.Tests.Contract;

public sealed class SqliteServiceStateTests(SqliteStoreFixture fixture) : ServiceStateContract(fixture), IClassFixture<SqliteStoreFixture>;
