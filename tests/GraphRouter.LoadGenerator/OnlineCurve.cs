using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.LoadGenerator;

/// <summary>
/// Online personalization measured through the API: the offline evaluation's new users (users and test
/// prompts the policy never saw, same split), each under a fresh user id so the store knows nothing of them.
/// For k = 0, 5, 10, 20 the first k of the user's history interactions go in through <c>submitFeedback</c>
/// (each with the responses' text and cost, as the store holds them), then every target interaction is routed
/// with its rated models as the candidates, and the pairwise accuracy of the returned scores is counted
/// (rating ties skipped, score ties half), exactly as the offline few-shot curve counts it.
/// </summary>
public static class OnlineCurve
{
    private const string Route = "query($input: RouteInput!) { route(input: $input) { userInteractions ranking { model score } } }";
    private const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate userInteractions } }";

    public static async Task<string> RunAsync(Uri server, PreferenceDataset data, IReadOnlyList<int> ks, TextWriter log)
    {
        using var client = new GraphQLClient(server, 4);
        var split = EvaluationSplit.Create(data, new SplitConfig());
        var run = Guid.NewGuid().ToString("N")[..8];
        var correct = ks.ToDictionary(k => k, _ => 0.0);
        var pairs = ks.ToDictionary(k => k, _ => 0);
        var feedbackCalls = 0;
        var routeCalls = 0;
        foreach (var userCase in split.NewUserCases.Where(c => c.Targets.Count > 0))
        {
            var userId = $"online-{run}-{userCase.User}";
            var sent = 0;
            foreach (var k in ks)
            {
                for (; sent < Math.Min(k, userCase.History.Count); sent++)
                {
                    var interaction = userCase.History[sent];
                    var call = await client.PostAsync(Feedback, new { input = FeedbackInput(data, userId, run, interaction) }, CancellationToken.None);
                    feedbackCalls++;
                    Require(call, "submitFeedback");
                }
                foreach (var target in userCase.Targets)
                {
                    var query = data.Query(target.QueryId).Text;
                    var candidates = target.Ratings.Select(r => r.Llm).ToArray();
                    var call = await client.PostAsync(Route, new { input = new { userId, query, candidates } }, CancellationToken.None);
                    routeCalls++;
                    Require(call, "route");
                    var scores = ((JsonArray)call.Data!["route"]!["ranking"]!).ToDictionary(s => (string)s!["model"]!, s => (double)s!["score"]!, StringComparer.Ordinal);
                    foreach (var pair in target.Pairs())
                    {
                        var margin = scores[pair.Winner] - scores[pair.Loser];
                        correct[k] += margin > 0 ? 1 : margin == 0 ? 0.5 : 0;
                        pairs[k]++;
                    }
                }
            }
        }
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"online curve {run}: {split.NewUserCases.Count(c => c.Targets.Count > 0)} new users, {feedbackCalls:N0} submitFeedback and {routeCalls:N0} route calls through {server}");
        report.AppendLine();
        report.AppendLine("| feedback interactions k | " + string.Join(" | ", ks) + " |");
        report.AppendLine("|---|" + string.Concat(ks.Select(_ => "---|")));
        report.AppendLine("| pairwise accuracy (API) | " + string.Join(" | ", ks.Select(k => (correct[k] / pairs[k]).ToString("0.000", CultureInfo.InvariantCulture))) + " |");
        report.AppendLine("| pairs | " + string.Join(" | ", ks.Select(k => pairs[k].ToString(CultureInfo.InvariantCulture))) + " |");
        await log.WriteLineAsync(report.ToString());
        return report.ToString();
    }

    private static object FeedbackInput(PreferenceDataset data, string userId, string run, Interaction interaction) => new
    {
        idempotencyKey = $"online-{run}-{interaction.User}-{interaction.Conversation}-{interaction.Step}",
        userId,
        conversationId = interaction.Conversation,
        step = interaction.Step,
        query = data.Query(interaction.QueryId).Text,
        responses = interaction.Ratings.Select(r =>
        {
            data.TryGetOutcome(interaction.QueryId, r.Llm, out var outcome);
            return new { model = r.Llm, rating = r.Rating, text = outcome?.Response, costUsd = outcome?.CostUsd };
        }).ToArray(),
    };

    private static void Require(GraphQLCall call, string what)
    {
        if (!call.Ok)
        {
            throw new InvalidOperationException($"{what} failed: HTTP {call.Status} {call.Errors}");
        }
    }
}
