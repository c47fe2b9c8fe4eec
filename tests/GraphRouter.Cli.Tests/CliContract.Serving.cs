using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphRouter.Core.Datasets;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Cli.Tests;

/// <summary><c>graphrouter route</c>, <c>policy</c> and <c>calibrate</c> over the real engine, on each store.</summary>
public abstract partial class CliContract
{
    private static readonly Lazy<PreferenceDataset> RouterBench = new(() => RouterBenchReader.Load(BundledData.RouterBench));

    [StoreFact]
    public async Task Route_prints_a_decision_for_a_known_user_with_the_bundled_policy()
    {
        await _store.FirstImportAsync();
        var user = RouterBench.Value.ByUser().First().Key;

        var text = await Graphrouter.RunInProcessAsync("route", "--user", user, "--query", "Prove that the square root of 2 is irrational.", "--store", _store.Store);
        var json = await Graphrouter.RunInProcessAsync("route", "--user", "cli-stranger", "--query", "Translate 'good morning' into French.", "--json", "--store", _store.Store);

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches(new Regex(@"^model: \S+", RegexOptions.Multiline), text.Output);
        Assert.Contains("user known (", text.Output, StringComparison.Ordinal);
        Assert.Contains("why: ", text.Output, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        var decision = JsonDocument.Parse(json.Output).RootElement;
        Assert.False(decision.GetProperty("userKnown").GetBoolean());
        Assert.Equal(decision.GetProperty("ranking")[0].GetProperty("model").GetString(), decision.GetProperty("model").GetString());
        Assert.Equal(11, decision.GetProperty("ranking").GetArrayLength());
    }

    [StoreFact]
    public async Task Serve_with_bad_options_exits_2_with_the_reason_before_touching_the_store()
    {
        await _store.FirstImportAsync();
        var before = await StatsAsync();

        var stale = await Graphrouter.RunInProcessAsync("serve", "--stale-run-timeout", "-1", "--urls", "http://127.0.0.1:0", "--store", _store.Store);
        var weight = await Graphrouter.RunInProcessAsync("serve", "--cost-weight", "NaN", "--urls", "http://127.0.0.1:0", "--store", _store.Store);
        var otlpScheme = await Graphrouter.RunInProcessAsync("serve", "--otlp-endpoint", "ftp://collector", "--urls", "http://127.0.0.1:0", "--store", _store.Store);
        var otlpRelative = await Graphrouter.RunInProcessAsync("serve", "--otlp-endpoint", "collector/otlp", "--urls", "http://127.0.0.1:0", "--store", _store.Store);
        var otlpInterval = await Graphrouter.RunInProcessAsync("serve", "--otlp-endpoint", "http://collector:4318", "--otlp-interval", "0", "--urls", "http://127.0.0.1:0", "--store", _store.Store);

        Assert.Equal(2, stale.ExitCode);
        Assert.Contains("--stale-run-timeout must be a number of seconds from 0 to 86400, got -1", stale.Error, StringComparison.Ordinal);
        Assert.Equal(2, weight.ExitCode);
        Assert.Contains("--cost-weight must be a finite number >= 0", weight.Error, StringComparison.Ordinal);
        Assert.Equal((2, 2, 2), (otlpScheme.ExitCode, otlpRelative.ExitCode, otlpInterval.ExitCode));
        Assert.Contains("the OTLP endpoint must be an http or https URL", otlpScheme.Error, StringComparison.Ordinal);
        Assert.Contains("--otlp-endpoint must be an absolute http or https URL, e.g. http://collector:4318, got 'collector/otlp'", otlpRelative.Error, StringComparison.Ordinal);
        Assert.Contains("the OTLP export interval must lie within 0.1 s and 1 h, got 0 s", otlpInterval.Error, StringComparison.Ordinal);
        Assert.Equal(before, await StatsAsync());
    }

    [StoreFact]
    public async Task Route_with_bad_input_exits_3_with_the_code_and_changes_nothing()
    {
        await _store.FirstImportAsync();
        var before = await StatsAsync();

        var negative = await Graphrouter.RunInProcessAsync("route", "--user", "u", "--query", "q", "--cost-weight", "-1", "--store", _store.Store);
        var unknown = await Graphrouter.RunInProcessAsync("route", "--user", "u", "--query", "q", "--candidate", "no/such-model", "--store", _store.Store);
        var missing = await Graphrouter.RunInProcessAsync("route", "--user", "u", "--store", _store.Store);
        var nul = await Graphrouter.RunInProcessAsync("route", "--user", "u\0v", "--query", "q", "--store", _store.Store);

        Assert.Equal(3, negative.ExitCode);
        Assert.Contains("BAD_USER_INPUT: costWeight", negative.Error, StringComparison.Ordinal);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("no/such-model", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal(3, nul.ExitCode);
        Assert.Contains("BAD_USER_INPUT: userId must be well-formed Unicode", nul.Error, StringComparison.Ordinal);
        Assert.Equal(before, await StatsAsync());
    }

    [StoreFact]
    public async Task Policy_list_shows_the_active_bundled_policy_and_refusals_exit_3()
    {
        await _store.FirstImportAsync();

        var list = await Graphrouter.RunInProcessAsync("policy", "list", "--store", _store.Store);
        var unknown = await Graphrouter.RunInProcessAsync("policy", "activate", "no-such-version", "--store", _store.Store);
        var again = await Graphrouter.RunInProcessAsync("policy", "activate", Serving.Runtime.BundledPolicy.Version, "--store", _store.Store);

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(new Regex(@"^\* " + Regex.Escape(Serving.Runtime.BundledPolicy.Version) + ".*validationPairwiseAccuracy=0\\.\\d+", RegexOptions.Multiline), list.Output);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("NOT_FOUND", unknown.Error, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("active: * " + Serving.Runtime.BundledPolicy.Version, again.Output, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Calibrate_finds_a_cost_weight_near_the_target_share_and_stores_it()
    {
        await _store.FirstImportAsync();

        var dry = await Graphrouter.RunInProcessAsync("calibrate", "--target-share", "0.1", "--expensive", "gpt-4-1106-preview", "claude-v2", "claude-v1", "--dry-run", "--store", _store.Store);
        // Priced above $0.00015 per prompt: nine of the eleven models, which the bundled policy gives a new user for about a
        // third of the bundled prompts at costWeight 0; the target is below that share, so a positive weight is needed.
        var stored = await Graphrouter.RunInProcessAsync("calibrate", "--target-share", "0.2", "--above-usd", "0.00015", "--store", _store.Store);
        var bad = await Graphrouter.RunInProcessAsync("calibrate", "--target-share", "1.5", "--above-usd", "0.002", "--store", _store.Store);

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("dry run", dry.Output, StringComparison.Ordinal);
        var match = Regex.Match(stored.Output, @"costWeight (?<w>[0-9.eE+-]+): (?<share>[0-9.]+) ?% of .*; (?<zero>[0-9.]+) ?% at costWeight 0");
        Assert.True(match.Success, stored.ToString());
        Assert.True(double.Parse(match.Groups["w"].Value, CultureInfo.InvariantCulture) > 0);
        Assert.InRange(double.Parse(match.Groups["share"].Value, CultureInfo.InvariantCulture), 15, 20);
        Assert.True(double.Parse(match.Groups["zero"].Value, CultureInfo.InvariantCulture) > 20, stored.Output);
        Assert.Contains("stored as the default costWeight", stored.Output, StringComparison.Ordinal);
        Assert.Equal(3, bad.ExitCode);
        var route = await Graphrouter.RunInProcessAsync("route", "--user", "cal", "--query", "Summarize the causes of World War I.", "--json", "--store", _store.Store);
        // A route that gives no costWeight now trades preference against cost with the stored default.
        var explanation = JsonDocument.Parse(route.Output).RootElement.GetProperty("explanation").GetString()!;
        Assert.DoesNotContain("cost weight 0", explanation, StringComparison.Ordinal);
        Assert.Contains("utility ", explanation, StringComparison.Ordinal);
    }
}
