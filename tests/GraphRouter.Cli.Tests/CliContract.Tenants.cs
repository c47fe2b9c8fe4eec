using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphRouter.Storage;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Cli.Tests;

/// <summary><c>graphrouter tenants</c>, <c>keys create --tenant</c>, <c>route --tenant</c> and <c>calibrate --tenant</c> on each backend.</summary>
public abstract partial class CliContract
{
    private static string NewTenant(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private static string LineOf(string output, string first) =>
        output.Split('\n').Single(l => l.StartsWith(first + " ", StringComparison.Ordinal)).TrimEnd();

    /// <summary>The costWeight a route applied, read back from its JSON ranking: utility = probability - costWeight * expected cost.</summary>
    private static double AppliedCostWeight(string routeJson)
    {
        var priced = JsonDocument.Parse(routeJson).RootElement.GetProperty("ranking").EnumerateArray().First(r => r.GetProperty("expectedCostUsd").GetDouble() > 0);
        return (priced.GetProperty("probability").GetDouble() - priced.GetProperty("utility").GetDouble()) / priced.GetProperty("expectedCostUsd").GetDouble();
    }

    [StoreFact]
    public async Task Tenants_are_created_listed_and_given_a_default_cost_weight_and_bad_input_changes_nothing()
    {
        var tenant = NewTenant("cli");

        var created = await Graphrouter.RunInProcessAsync("tenants", "create", tenant, "--cost-weight", "0.5", "--store", _store.Store);
        var again = await Graphrouter.RunInProcessAsync("tenants", "create", tenant, "--store", _store.Store);
        var badName = await Graphrouter.RunInProcessAsync("tenants", "create", "acme/eu", "--store", _store.Store);
        var badWeight = await Graphrouter.RunInProcessAsync("tenants", "create", tenant + "-nan", "--cost-weight", "NaN", "--store", _store.Store);
        var listed = await Graphrouter.RunInProcessAsync("tenants", "list", "--store", _store.Store);
        var set = await Graphrouter.RunInProcessAsync("tenants", "set-cost-weight", tenant, "2.25", "--store", _store.Store);
        var listedSet = await Graphrouter.RunInProcessAsync("tenants", "list", "--store", _store.Store);
        var neither = await Graphrouter.RunInProcessAsync("tenants", "set-cost-weight", tenant, "--store", _store.Store);
        var both = await Graphrouter.RunInProcessAsync("tenants", "set-cost-weight", tenant, "1", "--clear", "--store", _store.Store);
        var negative = await Graphrouter.RunInProcessAsync("tenants", "set-cost-weight", tenant, "--store", _store.Store, "--", "-3");
        var unknown = await Graphrouter.RunInProcessAsync("tenants", "set-cost-weight", tenant + "-ghost", "1", "--store", _store.Store);
        var afterRefusals = await Graphrouter.RunInProcessAsync("tenants", "list", "--store", _store.Store);
        var cleared = await Graphrouter.RunInProcessAsync("tenants", "set-cost-weight", tenant, "--clear", "--store", _store.Store);
        var listedCleared = await Graphrouter.RunInProcessAsync("tenants", "list", "--store", _store.Store);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal($"created tenant '{tenant}' (default costWeight 0.5)", created.Output.Trim());
        Assert.Equal(3, again.ExitCode);
        Assert.Contains($"tenant '{tenant}' already exists", again.Error, StringComparison.Ordinal);
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("tenant 'acme/eu' is not valid", badName.Error, StringComparison.Ordinal);
        Assert.Equal(2, badWeight.ExitCode);
        Assert.Contains("finite number >= 0", badWeight.Error, StringComparison.Ordinal);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Matches(@"^tenant +costWeight +created$", listed.Output.Split('\n')[0].TrimEnd());
        Assert.Matches($"^{tenant} +0\\.5 +\\d{{4}}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$", LineOf(listed.Output, tenant));
        Assert.Matches(@"^default +- +\d{4}-", LineOf(listed.Output, "default"));
        Assert.DoesNotContain(tenant + "-nan", listed.Output, StringComparison.Ordinal);
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Equal($"tenant '{tenant}': default costWeight 2.25", set.Output.Trim());
        Assert.Matches($"^{tenant} +2\\.25 ", LineOf(listedSet.Output, tenant));
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("not both and not neither", neither.Error, StringComparison.Ordinal);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal(2, negative.ExitCode);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains($"tenant '{tenant}-ghost' does not exist", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(listedSet.Output, afterRefusals.Output);
        Assert.True(cleared.ExitCode == 0, cleared.ToString());
        Assert.Contains("none (the deployment's)", cleared.Output, StringComparison.Ordinal);
        Assert.Matches($"^{tenant} +- ", LineOf(listedCleared.Output, tenant));

        await using var store = await GraphStoreFactory.OpenAsync(StoreLocation.Parse(_store.Store));
        Assert.Null((await store.GetTenantAsync(tenant))!.DefaultCostWeight);
        Assert.Null(await store.GetTenantAsync(tenant + "-nan"));
    }

    [StoreFact]
    public async Task Keys_belong_to_the_tenant_they_are_created_for_and_an_unknown_tenant_writes_no_key()
    {
        var tenant = NewTenant("keys");
        Assert.Equal(0, (await Graphrouter.RunInProcessAsync("tenants", "create", tenant, "--store", _store.Store)).ExitCode);
        var name = "tk-" + Guid.NewGuid().ToString("N")[..10];

        var created = await Graphrouter.RunInProcessAsync("keys", "create", "--name", name, "--role", "app", "--tenant", tenant, "--store", _store.Store);
        var ghost = await Graphrouter.RunInProcessAsync("keys", "create", "--name", name + "-ghost", "--role", "app", "--tenant", tenant + "-ghost", "--store", _store.Store);
        var invalid = await Graphrouter.RunInProcessAsync("keys", "create", "--name", name + "-bad", "--role", "app", "--tenant", "a/b", "--store", _store.Store);
        var listed = await Graphrouter.RunInProcessAsync("keys", "list", "--store", _store.Store);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains($"of tenant '{tenant}'", created.Error, StringComparison.Ordinal);
        Assert.Equal(3, ghost.ExitCode);
        Assert.Contains($"tenant '{tenant}-ghost' does not exist", ghost.Error, StringComparison.Ordinal);
        Assert.Empty(ghost.Output);
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("tenant 'a/b' is not valid", invalid.Error, StringComparison.Ordinal);
        Assert.Matches($"^key_[0-9a-f]{{12}} +{name} +app +{tenant} +\\d{{4}}-", listed.Output.Split('\n').Single(l => l.Contains(name, StringComparison.Ordinal)));
        Assert.DoesNotContain(name + "-ghost", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(name + "-bad", listed.Output, StringComparison.Ordinal);

        await using var store = await GraphStoreFactory.OpenAsync(StoreLocation.Parse(_store.Store));
        var keys = await store.GetApiKeysAsync();
        Assert.Equal(tenant, keys.Single(k => k.Name == name).Tenant);
        Assert.DoesNotContain(keys, k => k.Name.StartsWith(name + "-", StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task Route_and_calibrate_act_for_the_tenant_they_name()
    {
        await _store.FirstImportAsync();
        var tenant = NewTenant("route");
        Assert.Equal(0, (await Graphrouter.RunInProcessAsync("tenants", "create", tenant, "--store", _store.Store)).ExitCode);
        var known = RouterBench.Value.ByUser().First().Key;
        await using var store = await GraphStoreFactory.OpenAsync(StoreLocation.Parse(_store.Store));
        var deploymentBefore = await store.GetSettingAsync(StoreSettings.DefaultCostWeight);

        var inDefault = await Graphrouter.RunInProcessAsync("route", "--user", known, "--query", "Name three prime numbers.", "--json", "--store", _store.Store);
        var inTenant = await Graphrouter.RunInProcessAsync("route", "--user", known, "--query", "Name three prime numbers.", "--json", "--tenant", tenant, "--store", _store.Store);
        var ghost = await Graphrouter.RunInProcessAsync("route", "--user", known, "--query", "q", "--tenant", tenant + "-ghost", "--store", _store.Store);
        var invalid = await Graphrouter.RunInProcessAsync("route", "--user", known, "--query", "q", "--tenant", "no/slash", "--store", _store.Store);
        var calibrated = await Graphrouter.RunInProcessAsync("calibrate", "--target-share", "0.2", "--above-usd", "0.00015", "--tenant", tenant, "--store", _store.Store);
        var calibrateGhost = await Graphrouter.RunInProcessAsync("calibrate", "--target-share", "0.2", "--above-usd", "0.00015", "--tenant", tenant + "-ghost", "--store", _store.Store);
        var routedAfter = await Graphrouter.RunInProcessAsync("route", "--user", "any", "--query", "Summarize the causes of World War I.", "--json", "--tenant", tenant, "--store", _store.Store);

        Assert.True(inDefault.ExitCode == 0, inDefault.ToString());
        Assert.True(JsonDocument.Parse(inDefault.Output).RootElement.GetProperty("userKnown").GetBoolean());
        Assert.True(inTenant.ExitCode == 0, inTenant.ToString());
        Assert.False(JsonDocument.Parse(inTenant.Output).RootElement.GetProperty("userKnown").GetBoolean());
        Assert.Equal(0, JsonDocument.Parse(inTenant.Output).RootElement.GetProperty("userInteractions").GetInt32());
        Assert.Equal(3, ghost.ExitCode);
        Assert.Contains($"tenant '{tenant}-ghost' does not exist", ghost.Error, StringComparison.Ordinal);
        Assert.Empty(ghost.Output);
        Assert.Equal(2, invalid.ExitCode);
        Assert.True(calibrated.ExitCode == 0, calibrated.ToString());
        Assert.Contains($"stored as the default costWeight of tenant '{tenant}'", calibrated.Output, StringComparison.Ordinal);
        var weight = double.Parse(Regex.Match(calibrated.Output, @"costWeight (?<w>[0-9.eE+-]+):").Groups["w"].Value, CultureInfo.InvariantCulture);
        Assert.True(weight > 0, calibrated.Output);
        Assert.Equal(3, calibrateGhost.ExitCode);
        Assert.Contains("does not exist", calibrateGhost.Error, StringComparison.Ordinal);
        var stored = (await store.GetTenantAsync(tenant))!.DefaultCostWeight!.Value;
        Assert.InRange(stored / weight, 0.9999, 1.0001);
        Assert.Equal(deploymentBefore, await store.GetSettingAsync(StoreSettings.DefaultCostWeight));
        Assert.True(routedAfter.ExitCode == 0, routedAfter.ToString());
        Assert.Equal(stored, AppliedCostWeight(routedAfter.Output), 6);
    }
}
