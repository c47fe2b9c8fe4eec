using GraphRouter.Core.Domain;
using GraphRouter.Serving.Runtime;
using Xunit.Abstractions;

namespace GraphRouter.Training.Tests.Export;

/// <summary>
/// ONNX Runtime (the exported graphs, run by the serving runtime from plain stored inputs) against TorchSharp
/// (the trained module), within 1e-4 absolute, on real routerbench users and held-out prompts.
/// </summary>
public sealed class PolicyParityTests(ExportedPolicyFixture policy, ITestOutputHelper output) : IClassFixture<ExportedPolicyFixture>
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void User_tokens_match_TorchSharp_for_cold_start_one_turn_few_shot_and_window_clipped_histories()
    {
        var worst = 0.0;
        foreach (var (label, history) in Histories())
        {
            var expected = policy.Reference.EncodeUsers([history])[0];
            var actual = policy.Runtime.EmbedUser(policy.AsStored(history));
            worst = Math.Max(worst, MaxDifference(label, expected.Select(v => (double)v).ToArray(), actual.Select(v => (double)v).ToArray()));
        }
        output.WriteLine($"user tokens: max |ONNX Runtime - TorchSharp| = {worst:G3}");
        var cold = policy.Reference.EncodeUsers([[]])[0];
        Assert.All(cold.Zip(policy.Runtime.ColdStartEmbedding.ToArray()), p => Assert.Equal(p.First, p.Second, 1e-6f));
    }

    [Fact]
    public void Scores_match_TorchSharp_on_held_out_prompts_for_every_candidate_set()
    {
        var worst = 0.0;
        var compared = 0;
        foreach (var (label, history) in Histories())
        {
            var torchUser = policy.Reference.EncodeUsers([history])[0];
            var ortUser = policy.Runtime.EmbedUser(policy.AsStored(history));
            foreach (var prompt in HeldOutPrompts(label))
            {
                var encoded = policy.Runtime.EncodeQuery(prompt.Text);
                foreach (var models in CandidateSets())
                {
                    var expected = policy.Reference.Score(torchUser, prompt, models);
                    var actual = policy.Runtime.Score(ortUser, encoded, models);
                    worst = Math.Max(worst, MaxDifference($"{label}, prompt {prompt.Id}", expected, actual));
                    compared += expected.Length;
                }
            }
        }
        output.WriteLine($"scores: max |ONNX Runtime - TorchSharp| = {worst:G3} over {compared} scores");
        Assert.True(compared > 500);
    }

    [Fact]
    public void The_exported_policy_recorded_and_replayed_its_own_parity_sample()
    {
        Assert.True(policy.Runtime.ParityMaxDifference <= Tolerance);
        var sample = ParitySample.FromJson(File.ReadAllText(Path.Combine(policy.Folder, ParitySample.FileName)));
        Assert.Contains(sample.Users, u => u.Interactions.Count > policy.Config.HistoryWindow);
        Assert.Contains(sample.Users, u => u.Interactions.Count == 1 && u.Interactions[0].Responses.Count == 1);
        Assert.Contains("parity sample", policy.ExportLog, StringComparison.Ordinal);
    }

    /// <summary>Real histories: none, one response, new users at k = 1..20, validation users, and the longest known users (clipped to the window of 8).</summary>
    private IEnumerable<(string Label, IReadOnlyList<Interaction> History)> Histories()
    {
        var split = policy.Split;
        yield return ("cold start", []);
        var first = split.NewUserCases[0].History[0];
        yield return ("one response", [first with { Ratings = [first.Ratings[^1]] }]);
        foreach (var k in new[] { 1, 2, 5, 10, 20 })
        {
            foreach (var c in split.NewUserCases.Where(c => c.History.Count >= k).Take(2))
            {
                yield return ($"new user {c.User} k={k}", c.History.Take(k).ToList());
            }
        }
        foreach (var c in split.ValidationUserCases.Take(3))
        {
            yield return ($"validation user {c.User}", c.History);
        }
        foreach (var c in split.KnownUserCases.OrderByDescending(c => c.History.Count).Take(2))
        {
            Assert.True(c.History.Count > policy.Config.HistoryWindow);
            yield return ($"known user {c.User} ({c.History.Count} interactions)", c.History);
        }
    }

    /// <summary>Test prompts (never trained on), two per history, chosen by the history's label so they vary.</summary>
    private IEnumerable<QueryInfo> HeldOutPrompts(string label)
    {
        var prompts = policy.Split.TestQueries.Order(StringComparer.Ordinal).Select(policy.Split.Data.Query).ToList();
        var start = label.Sum(c => c) % prompts.Count;
        return [prompts[start], prompts[(start + prompts.Count / 2) % prompts.Count]];
    }

    private IEnumerable<IReadOnlyList<string>> CandidateSets()
    {
        var all = policy.Runtime.Models;
        yield return all;
        yield return [all[5], all[0], all[9]];
        yield return [all[^1]];
    }

    private static double MaxDifference(string what, double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var difference = Math.Abs(expected[i] - actual[i]);
            Assert.True(difference <= Tolerance, $"{what}: value {i} TorchSharp {expected[i]:R}, ONNX Runtime {actual[i]:R}");
            worst = Math.Max(worst, difference);
        }
        return worst;
    }
}
