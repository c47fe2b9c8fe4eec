using System.Globalization;

namespace GraphRouter.Api.Http;

/// <summary>
/// What one GraphQL request may cost. Each limit answers with its own error code (see <see cref="Errors.ApiErrorCode"/>).
/// The defaults admit GraphiQL's introspection query and every query the schema's own types can form,
/// and refuse alias batching and introspection abuse.
/// </summary>
public sealed record GraphQLLimits
{
    /// <summary>Largest POST body, in bytes (variables carry the feedback texts): 1 MiB. Over it: HTTP 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Longest query text, in characters (the document only; values belong in variables): 16,384.</summary>
    public int MaxQueryLength { get; init; } = 16 * 1024;

    /// <summary>
    /// Deepest field nesting of the selected operation, leaf fields counted. GraphiQL's introspection query needs 15
    /// (type references nine levels deep), so GraphiQL stops working below that; the schema's own types need 3.
    /// </summary>
    public int MaxDepth { get; init; } = 15;

    /// <summary>Largest complexity of the selected operation (1 per field, children of lists counted 5 times or <c>last</c> times).</summary>
    public int MaxComplexity { get; init; } = 5_000;

    /// <summary>Most aliases in one document.</summary>
    public int MaxAliases { get; init; } = 30;

    /// <summary>How many parsed and validated documents are kept, keyed by query text and operation name.</summary>
    public int DocumentCacheEntries { get; init; } = 1_000;

    /// <summary>Every setting that is out of range, so a bad configuration fails at start-up with all of its errors at once.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        Check(MaxRequestBodyBytes >= 1024, nameof(MaxRequestBodyBytes), MaxRequestBodyBytes, "at least 1024");
        Check(MaxQueryLength >= 16, nameof(MaxQueryLength), MaxQueryLength, "at least 16");
        Check(MaxDepth >= 1, nameof(MaxDepth), MaxDepth, "at least 1");
        Check(MaxComplexity >= 1, nameof(MaxComplexity), MaxComplexity, "at least 1");
        Check(MaxAliases >= 0, nameof(MaxAliases), MaxAliases, "at least 0");
        Check(DocumentCacheEntries >= 0, nameof(DocumentCacheEntries), DocumentCacheEntries, "at least 0");
        return problems;

        void Check(bool ok, string name, object value, string expected)
        {
            if (!ok)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"GraphQLLimits.{name} is {value}; it must be {expected}."));
            }
        }
    }
}
