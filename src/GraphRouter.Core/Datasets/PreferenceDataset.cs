using GraphRouter.Core.Domain;

namespace GraphRouter.Core.Datasets;

/// <summary>
/// A multi-user preference dataset in memory (the routerbench format): LLMs, prompts, every LLM's real
/// response to each prompt, and users' rated comparisons in time order per user.
/// </summary>
public sealed class PreferenceDataset
{
    private readonly Dictionary<string, QueryInfo> _queries;
    private readonly Dictionary<(string Query, string Llm), Outcome> _outcomes;

    public PreferenceDataset(
        string name,
        int version,
        RatingScale scale,
        IReadOnlyList<LlmInfo> llms,
        IReadOnlyList<string> tasks,
        IReadOnlyList<QueryInfo> queries,
        IReadOnlyList<Outcome> outcomes,
        IReadOnlyList<Interaction> interactions)
    {
        Name = name;
        Version = version;
        Scale = scale;
        Llms = llms;
        Tasks = tasks;
        Queries = queries;
        Outcomes = outcomes;
        Interactions = interactions;
        _queries = queries.ToDictionary(q => q.Id, StringComparer.Ordinal);
        _outcomes = outcomes.ToDictionary(o => (o.QueryId, o.Llm));
    }

    public string Name { get; }
    public int Version { get; }
    public RatingScale Scale { get; }
    public IReadOnlyList<LlmInfo> Llms { get; }
    public IReadOnlyList<string> Tasks { get; }
    public IReadOnlyList<QueryInfo> Queries { get; }
    public IReadOnlyList<Outcome> Outcomes { get; }
    /// <summary>All interactions, grouped by user, each user's in time order.</summary>
    public IReadOnlyList<Interaction> Interactions { get; }

    public QueryInfo Query(string id) => _queries[id];

    public bool TryGetQuery(string id, out QueryInfo query) => _queries.TryGetValue(id, out query!);

    public Outcome Outcome(string queryId, string llm) => _outcomes[(queryId, llm)];

    public bool TryGetOutcome(string queryId, string llm, out Outcome outcome) => _outcomes.TryGetValue((queryId, llm), out outcome!);

    /// <summary>Each user's interactions in time order, users in order of first appearance.</summary>
    public IEnumerable<IGrouping<string, Interaction>> ByUser() => Interactions.GroupBy(i => i.User, StringComparer.Ordinal);

    /// <summary>How many rated responses (graph <c>Turn</c>s) the interactions hold.</summary>
    public int RatedResponseCount => Interactions.Sum(i => i.Ratings.Count);
}
