namespace GraphRouter.Storage.History;

/// <summary>One interaction of a user's history: the query asked at one step of one conversation and the responses the user rated.</summary>
public sealed record HistoryEntry
{
    public required string Conversation { get; init; }
    public required int Step { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string QueryId { get; init; }
    public required string QueryText { get; init; }
    public required IReadOnlyList<RatedResponse> Responses { get; init; }
}
