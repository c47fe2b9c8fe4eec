using Xunit.Sdk;

namespace GraphRouter.Storage.Tests.Postgres;

/// <summary>A fact that needs the store its class names; see <see cref="PostgresFactDiscoverer"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("GraphRouter.Storage.Tests.Postgres.PostgresFactDiscoverer", "GraphRouter.Storage.Tests")]
public sealed class StoreFactAttribute : FactAttribute;
