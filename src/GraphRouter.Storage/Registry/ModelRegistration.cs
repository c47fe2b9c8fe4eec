namespace GraphRouter.Storage.Registry;

/// <summary>
/// A <c>registerModel</c>: a new name is inserted (available); a registered name gets the given
/// description, vendor and prices. A null field leaves the stored value as it is (empty or no price for
/// a new model), so a registration that names only a price changes only that price.
/// </summary>
public sealed record ModelRegistration
{
    public required string Name { get; init; }
    public string? Vendor { get; init; }
    public string? Description { get; init; }
    public double? InputPricePerMillion { get; init; }
    public double? OutputPricePerMillion { get; init; }

    /// <summary>Refuses what no registry should hold: an empty name, a NUL character, a negative or non-finite price.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("model registration: the name is empty", "registration");
        }
        foreach (var (what, text) in new[] { ("name", Name), ("vendor", Vendor), ("description", Description) })
        {
            if (text is not null && text.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"model registration '{Name}': the {what} contains a NUL character", "registration");
            }
        }
        foreach (var (what, price) in new[] { ("input", InputPricePerMillion), ("output", OutputPricePerMillion) })
        {
            if (price is { } p && (!double.IsFinite(p) || p < 0))
            {
                throw new ArgumentException($"model registration '{Name}': the {what} price {p} is not a non-negative number", "registration");
            }
        }
    }
}
