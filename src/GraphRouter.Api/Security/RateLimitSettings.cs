using System.Globalization;

namespace GraphRouter.Api.Security;

/// <summary>
/// A token bucket: at most <see cref="Permits"/> requests in a burst, refilled by <see cref="Permits"/> every
/// <see cref="Period"/> (so <see cref="Permits"/> per <see cref="Period"/> sustained).
/// </summary>
public sealed record RateLimitSettings(int Permits, TimeSpan Period)
{
    /// <summary>What is wrong with these settings, if anything.</summary>
    public IEnumerable<string> Problems(string name)
    {
        if (Permits < 1)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{name}: permits must be at least 1, got {Permits}");
        }
        if (Period < TimeSpan.FromMilliseconds(1) || Period > TimeSpan.FromDays(1))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{name}: the period must be between 1 ms and 1 day, got {Period}");
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Permits} per {Period.TotalSeconds:0.###} s");
}
