using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

[RequiresPostgres]
public sealed class PostgresTrainingRunLifecycleTests(PostgresStoreFixture fixture) : TrainingRunLifecycleContract(fixture), IClassFixture<PostgresStoreFixture>;
