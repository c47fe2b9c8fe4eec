using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GraphRouter.Api.Http;

/// <summary>Content negotiation for /graphql: which response media type the <c>Accept</c> header allows, and which request bodies are JSON.</summary>
public static class MediaTypes
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";

    private const string GraphQLResponseJsonContentType = GraphQLResponseJson + "; charset=utf-8";
    private const string JsonContentType = Json + "; charset=utf-8";

    /// <summary>The <c>Content-Type</c> header value for a response of this media type.</summary>
    public static string ContentType(ResponseMediaType mediaType) =>
        mediaType == ResponseMediaType.Json ? JsonContentType : GraphQLResponseJsonContentType;

    /// <summary>
    /// Picks the response media type: no (or an unreadable) <c>Accept</c> header, <c>*/*</c> and
    /// <c>application/*</c> get <c>application/graphql-response+json</c>; <c>application/json</c> only when the
    /// client prefers it by quality or names only it; <see cref="ResponseMediaType.None"/> when it admits neither.
    /// A range with a charset other than UTF-8 matches nothing.
    /// </summary>
    public static ResponseMediaType Negotiate(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept))
        {
            return ResponseMediaType.GraphQLResponseJson;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return ResponseMediaType.GraphQLResponseJson;
        }

        var graphQLResponse = Quality(ranges, GraphQLResponseJson);
        var json = Quality(ranges, Json);
        if (graphQLResponse <= 0 && json <= 0)
        {
            return ResponseMediaType.None;
        }

        return graphQLResponse >= json ? ResponseMediaType.GraphQLResponseJson : ResponseMediaType.Json;
    }

    /// <summary>Whether a POST's <c>Content-Type</c> is <c>application/json</c> in UTF-8 (the charset may be left out).</summary>
    public static bool IsJsonRequest(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase)
        && IsUtf8OrUnspecified(parsed);

    /// <summary>The quality the most specific matching range gives <paramref name="mediaType"/> (0 when none matches).</summary>
    private static double Quality(IList<MediaTypeHeaderValue> ranges, string mediaType)
    {
        var bestSpecificity = 0;
        var quality = 0d;
        foreach (var range in ranges)
        {
            if (!IsUtf8OrUnspecified(range))
            {
                continue;
            }

            var specificity = range.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase) ? 3
                : range.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase) ? 2
                : range.MediaType.Equals("*/*", StringComparison.Ordinal) ? 1
                : 0;
            if (specificity > bestSpecificity)
            {
                bestSpecificity = specificity;
                quality = range.Quality ?? 1d;
            }
        }

        return quality;
    }

    private static bool IsUtf8OrUnspecified(MediaTypeHeaderValue value) =>
        !value.Charset.HasValue || value.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
}
