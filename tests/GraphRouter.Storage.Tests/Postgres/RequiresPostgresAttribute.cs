namespace GraphRouter.Storage.Tests.Postgres;

/// <summary>Marks a test class whose <see cref="StoreFactAttribute"/> tests run against the PostgreSQL test server.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;
