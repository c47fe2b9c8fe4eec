namespace GraphRouter.Storage.Tests.Contract;

public sealed class SqliteApiKeyTests(SqliteStoreFixture fixture) : ApiKeyContract(fixture), IClassFixture<SqliteStoreFixture>;
