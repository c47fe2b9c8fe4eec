using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>The bundled datasets, read once per test run, and small datasets cut from them.</summary>
public static class Datasets
{
    private static readonly Lazy<PreferenceDataset> LazyRouterBench = new(() => RouterBenchReader.Load(BundledData.RouterBench));
    private static readonly Lazy<QualityTable> LazyQualityTable = new(() => QualityTableReader.Load(BundledData.LlmRouterDc));

    public static PreferenceDataset RouterBench => LazyRouterBench.Value;

    public static QualityTable QualityTable => LazyQualityTable.Value;

    /// <summary>
    /// A multi-turn conversation made of real data: user <paramref name="user"/>'s first <paramref name="steps"/>
    /// interactions of routerbench, renumbered as steps 0.. of one conversation.
    /// </summary>
    public static PreferenceDataset MultiTurn(string user, int steps)
    {
        var source = RouterBench;
        var interactions = source.Interactions.Where(i => i.User == user).Take(steps)
            .Select((i, step) => i with { Conversation = $"{user}-multi", Step = step })
            .ToList();
        var queryIds = interactions.Select(i => i.QueryId).ToHashSet(StringComparer.Ordinal);
        return new PreferenceDataset(
            source.Name + "-multi-turn", source.Version, source.Scale, source.Llms, source.Tasks,
            source.Queries.Where(q => queryIds.Contains(q.Id)).ToList(),
            source.Outcomes.Where(o => queryIds.Contains(o.QueryId)).ToList(),
            interactions);
    }

    /// <summary>A slice of routerbench whose last interaction rates a response that the dataset does not hold.</summary>
    public static PreferenceDataset WithMissingResponse()
    {
        var source = RouterBench;
        var interactions = source.Interactions.Take(20).ToList();
        var queryIds = interactions.Select(i => i.QueryId).ToHashSet(StringComparer.Ordinal);
        var outcomes = source.Outcomes.Where(o => queryIds.Contains(o.QueryId)).ToList();
        var last = interactions[^1];
        var dropped = last.Ratings[0];
        outcomes.RemoveAll(o => o.QueryId == last.QueryId && o.Llm == dropped.Llm);
        return new PreferenceDataset(
            "broken", 1, source.Scale, source.Llms, source.Tasks,
            source.Queries.Where(q => queryIds.Contains(q.Id)).ToList(), outcomes, interactions);
    }

    /// <summary>The user with the most interactions.</summary>
    public static string BusiestUser() =>
        RouterBench.ByUser().OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;

    public static IReadOnlyList<Interaction> InteractionsOf(string user) =>
        RouterBench.Interactions.Where(i => i.User == user).ToList();
}
