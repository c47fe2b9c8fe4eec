using System.Globalization;

namespace GraphRouter.Training.Commands;

/// <summary>Durations on the command line: a number with a unit, <c>500ms</c>, <c>60s</c>, <c>5m</c>, <c>1h</c>, or a plain number of seconds.</summary>
internal static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var trimmed = text.Trim();
        var (number, scale) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (trimmed[..^2], 0.001),
            _ when trimmed.EndsWith('s') || trimmed.EndsWith('S') => (trimmed[..^1], 1.0),
            _ when trimmed.EndsWith('m') || trimmed.EndsWith('M') => (trimmed[..^1], 60.0),
            _ when trimmed.EndsWith('h') || trimmed.EndsWith('H') => (trimmed[..^1], 3600.0),
            _ => (trimmed, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0 || value * scale > TimeSpan.FromDays(1).TotalSeconds)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }
}
