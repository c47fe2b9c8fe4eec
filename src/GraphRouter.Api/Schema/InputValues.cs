using System.Collections;
using System.Globalization;

namespace GraphRouter.Api.Schema;

/// <summary>
/// Reads the already coerced field values GraphQL.NET hands to an input type's <c>ParseDictionary</c>:
/// explicit, so that building a command needs no reflection per request.
/// </summary>
internal static class InputValues
{
    /// <summary>An <c>ID</c>: GraphQL accepts a string or an integer literal; the service always sees a string.</summary>
    public static string? Id(IDictionary<string, object?> values, string name) =>
        values.TryGetValue(name, out var value) && value is not null
            ? Convert.ToString(value, CultureInfo.InvariantCulture)
            : null;

    public static string RequiredId(IDictionary<string, object?> values, string name) =>
        Id(values, name) ?? throw new InvalidOperationException($"Input field '{name}' is non-null but no value was coerced.");

    public static string? String(IDictionary<string, object?> values, string name) =>
        values.TryGetValue(name, out var value) ? (string?)value : null;

    public static string RequiredString(IDictionary<string, object?> values, string name) =>
        String(values, name) ?? throw new InvalidOperationException($"Input field '{name}' is non-null but no value was coerced.");

    public static double? Float(IDictionary<string, object?> values, string name) =>
        values.TryGetValue(name, out var value) && value is not null ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : null;

    public static double RequiredFloat(IDictionary<string, object?> values, string name) =>
        Float(values, name) ?? throw new InvalidOperationException($"Input field '{name}' is non-null but no value was coerced.");

    public static int? Int(IDictionary<string, object?> values, string name) =>
        values.TryGetValue(name, out var value) && value is not null ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : null;

    public static bool? Boolean(IDictionary<string, object?> values, string name) =>
        values.TryGetValue(name, out var value) && value is not null ? (bool)value : null;

    public static IReadOnlyList<string>? Strings(IDictionary<string, object?> values, string name) =>
        values.TryGetValue(name, out var value) && value is IEnumerable items
            ? items.Cast<object?>().Select(item => (string)item!).ToArray()
            : null;

    public static IReadOnlyList<T> Objects<T>(IDictionary<string, object?> values, string name) =>
        values.TryGetValue(name, out var value) && value is IEnumerable items
            ? items.Cast<T>().ToArray()
            : throw new InvalidOperationException($"Input field '{name}' is non-null but no value was coerced.");
}
