using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Serving.Runtime;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Export;

/// <summary>
/// Picks the parity sample a policy carries (<see cref="ParitySample"/>) and computes its expected values with
/// TorchSharp: real histories of validation users (the empty history, one interaction with one response
/// (T = 1), one whole interaction, 5 and 20 interactions) plus a known user's longer history (longer than the
/// history window when the window is small, so the runtime's clipping is replayed too), and validation
/// prompts of every request kind (the shortest of each). Deterministic: the split's order, prompts by length then id.
/// </summary>
public static class ParitySampler
{
    /// <summary>ONNX Runtime's values must match TorchSharp's within this, absolutely.</summary>
    public const double Tolerance = 1e-4;

    private const int LongHistory = 30;

    public static ParitySample Create(TrainedGraphRouter router, EvaluationSplit split)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(split);
        var data = split.Data;
        var fewShot = split.ValidationUserCases.Where(c => c.History.Count >= 20).Take(4).ToList();
        if (fewShot.Count < 4)
        {
            throw new InvalidOperationException("the split has fewer than 4 validation users with 20 interactions for the parity sample");
        }
        var first = fewShot[0].History[0];
        var window = router.Config.HistoryWindow;
        var longest = split.KnownUserCases.MaxBy(c => c.History.Count)!;
        var longLength = window <= LongHistory ? Math.Min(longest.History.Count, window + 5) : LongHistory;
        var histories = new (string Label, IReadOnlyList<Interaction> History)[]
        {
            ("cold start", []),
            ("one response", [first with { Ratings = [first.Ratings[0]] }]),
            ("one interaction", [fewShot[1].History[0]]),
            ("5 interactions", [.. fewShot[2].History.Take(5)]),
            ("20 interactions", [.. fewShot[3].History.Take(20)]),
            ($"{longLength} interactions, window {window}", [.. longest.History.Take(longLength)]),
        };

        // the shortest validation prompts of each kind keep the sample small
        var prompts = split.ValidationQueries.Select(data.Query).OrderBy(q => q.Text.Length).ThenBy(q => q.Id, StringComparer.Ordinal).ToList();
        var queries = prompts.GroupBy(q => q.Task, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.First()).ToList();
        queries.AddRange(prompts.Where(q => !queries.Contains(q)).Take(Math.Max(0, 4 - queries.Count)));

        var embeddings = histories.Select(h => router.EncodeUsers([h.History])[0]).ToList();
        return new ParitySample
        {
            Tolerance = Tolerance,
            Users = histories.Select((h, u) => new ParityUser
            {
                Label = h.Label,
                Interactions = h.History.Select(i => Describe(split, i)).ToList(),
                Embedding = embeddings[u],
            }).ToList(),
            Queries = queries.Select(q => new ParityQuery
            {
                Text = q.Text,
                Scores = embeddings.Select(e => (IReadOnlyList<double>)router.Score(e, q, router.Features.Llms)).ToList(),
            }).ToList(),
        };
    }

    /// <summary>An interaction as serving would see it: the prompt's text, and per response its rating and the realized answer's length and cost.</summary>
    public static ParityInteraction Describe(EvaluationSplit split, Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(interaction);
        return new ParityInteraction
        {
            Query = split.Data.Query(interaction.QueryId).Text,
            Responses = interaction.Ratings.Select(r => split.Data.TryGetOutcome(interaction.QueryId, r.Llm, out var outcome)
                ? new ParityResponse { Llm = r.Llm, Rating = r.Rating, Characters = outcome.Response.Length, CostUsd = outcome.CostUsd }
                : new ParityResponse { Llm = r.Llm, Rating = r.Rating }).ToList(),
        };
    }
}
