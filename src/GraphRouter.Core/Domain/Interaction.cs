namespace GraphRouter.Core.Domain;

/// <summary>
/// One user's ratings of the responses shown for one prompt at one step of one conversation: a
/// comparison. Each rated response is one <c>Turn</c> of the graph; two with different ratings form a
/// <see cref="PreferencePair"/>.
/// </summary>
public sealed record Interaction
{
    public required string User { get; init; }
    public required string Conversation { get; init; }
    public required int Step { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string QueryId { get; init; }
    public required IReadOnlyList<RatedLlm> Ratings { get; init; }

    /// <summary>Every non-tied pair of this comparison, the preferred response first.</summary>
    public IEnumerable<PreferencePair> Pairs()
    {
        for (var i = 0; i < Ratings.Count; i++)
        {
            for (var j = i + 1; j < Ratings.Count; j++)
            {
                var a = Ratings[i];
                var b = Ratings[j];
                if (a.Rating > b.Rating)
                {
                    yield return new PreferencePair(this, a.Llm, b.Llm);
                }
                else if (b.Rating > a.Rating)
                {
                    yield return new PreferencePair(this, b.Llm, a.Llm);
                }
            }
        }
    }
}
