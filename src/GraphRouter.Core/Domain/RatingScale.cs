namespace GraphRouter.Core.Domain;

/// <summary>
/// A deployment's or dataset's declared rating scale. Ratings are normalized on this declared scale,
/// never on the range a particular file happens to contain.
/// </summary>
public sealed record RatingScale(double Min, double Max)
{
    public static RatingScale Default { get; } = new(1, 10);

    public bool Contains(double rating) => double.IsFinite(rating) && rating >= Min && rating <= Max;

    /// <summary>Maps a rating on this scale to [0, 1].</summary>
    public double Normalize(double rating)
    {
        if (!Contains(rating))
        {
            throw new ArgumentOutOfRangeException(nameof(rating), rating, $"rating must lie within [{Min}, {Max}]");
        }
        return Max > Min ? (rating - Min) / (Max - Min) : 0.5;
    }
}
