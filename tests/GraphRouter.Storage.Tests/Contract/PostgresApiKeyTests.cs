using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

[RequiresPostgres]
public sealed class PostgresApiKeyTests(PostgresStoreFixture fixture) : ApiKeyContract(fixture), IClassFixture<PostgresStoreFixture>;
