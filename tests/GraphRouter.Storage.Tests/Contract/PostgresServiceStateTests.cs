using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

[RequiresPostgres]
public sealed class PostgresServiceStateTests(PostgresStoreFixture fixture) : ServiceStateContract(fixture), IClassFixture<PostgresStoreFixture>;
