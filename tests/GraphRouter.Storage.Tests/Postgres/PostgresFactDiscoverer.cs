using Xunit.Abstractions;
using Xunit.Sdk;

namespace GraphRouter.Storage.Tests.Postgres;

/// <summary>
/// Discovers <see cref="StoreFactAttribute"/> tests: a test of a class marked <see cref="RequiresPostgresAttribute"/>
/// is skipped, with the reason, when no PostgreSQL can be had, except on CI (CI=true), where it runs and fails.
/// </summary>
public sealed class PostgresFactDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink _diagnostics;

    public PostgresFactDiscoverer(IMessageSink diagnostics) => _diagnostics = diagnostics;

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var needsPostgres = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
        var reason = needsPostgres && !PostgresServer.OnCi ? PostgresServer.UnavailableReason : null;
        if (reason is not null)
        {
            return [new XunitSkippedDataRowTestCase(_diagnostics, display, displayOptions, testMethod, reason)];
        }
        return [new XunitTestCase(_diagnostics, display, displayOptions, testMethod)];
    }
}
