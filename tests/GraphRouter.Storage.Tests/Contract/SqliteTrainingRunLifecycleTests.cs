namespace GraphRouter.Storage.Tests.Contract;

public sealed class SqliteTrainingRunLifecycleTests(SqliteStoreFixture fixture) : TrainingRunLifecycleContract(fixture), IClassFixture<SqliteStoreFixture>;
