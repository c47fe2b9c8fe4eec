using System.Globalization;
using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;

namespace GraphRouter.Storage.Snapshots;

/// <summary>
/// Assembles a <see cref="StoreSnapshot"/> from the rows a backend reads inside its one read transaction,
/// so that both backends build the same dataset from the same rows: LLMs and queries in id order,
/// interactions in the order read (user, time, id), each interaction's turns in the order stored.
/// </summary>
internal sealed class SnapshotBuilder
{
    /// <summary>The name a snapshot's dataset carries.</summary>
    public const string DatasetName = "graphrouter-store";

    private readonly List<LlmInfo> _llms = [];
    private readonly List<QueryInfo> _queries = [];
    private readonly List<Outcome> _outcomes = [];
    private readonly List<(Interaction Interaction, List<RatedLlm> Ratings)> _interactions = [];
    private readonly Dictionary<long, List<RatedLlm>> _ratingsById = [];

    public void AddLlm(LlmInfo llm) => _llms.Add(llm);

    public void AddQuery(QueryInfo query) => _queries.Add(query);

    public void AddOutcome(Outcome outcome) => _outcomes.Add(outcome);

    public void AddInteraction(long id, string user, string conversation, int step, DateTimeOffset occurredAt, string queryId)
    {
        var ratings = new List<RatedLlm>(3);
        _ratingsById.Add(id, ratings);
        _interactions.Add((new Interaction { User = user, Conversation = conversation, Step = step, Timestamp = occurredAt, QueryId = queryId, Ratings = ratings }, ratings));
    }

    /// <summary>Appends a turn to its interaction; turns must come in stored order.</summary>
    public void AddTurn(long interactionId, string llm, double rating)
    {
        if (!_ratingsById.TryGetValue(interactionId, out var ratings))
        {
            throw new InvalidDataException($"turn of interaction {interactionId}, which the snapshot did not read");
        }
        ratings.Add(new RatedLlm(llm, rating));
    }

    public StoreSnapshot Build(StoreLocation location, long feedbackWatermark, int feedbackCount, DateTimeOffset takenAt)
    {
        var empty = _interactions.FirstOrDefault(i => i.Ratings.Count == 0).Interaction;
        if (empty is not null)
        {
            throw new InvalidDataException($"interaction of user '{empty.User}' at step {empty.Step} of '{empty.Conversation}' has no turns");
        }
        var tasks = _queries.Select(q => q.Task).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var dataset = new PreferenceDataset(DatasetName, 1, RatingScale.Default, _llms, tasks, _queries, _outcomes,
            _interactions.Select(i => i.Interaction).ToList());
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{location} feedback<={feedbackWatermark} ({feedbackCount:N0} feedback, {dataset.Interactions.Count:N0} interactions) at {takenAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
        return new StoreSnapshot
        {
            Dataset = dataset,
            FeedbackWatermark = feedbackWatermark,
            FeedbackCount = feedbackCount,
            TakenAt = takenAt,
            Description = description,
        };
    }
}
