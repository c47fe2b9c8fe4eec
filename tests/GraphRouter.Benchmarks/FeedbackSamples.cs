using System.Globalization;
using GraphRouter.Core.Datasets;
using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Benchmarks;

/// <summary>Feedback as the service would send it for routerbench's users and LLMs: the n-th has a new key and a new query text.</summary>
public sealed class FeedbackSamples
{
    private readonly string[] _users;
    private readonly string[] _llms;

    public FeedbackSamples(PreferenceDataset data)
    {
        _users = data.Interactions.Select(i => i.User).Distinct(StringComparer.Ordinal).ToArray();
        _llms = data.Llms.Select(l => l.Name).ToArray();
    }

    public FeedbackRecord Create(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var first = _llms[n % _llms.Length];
        var second = _llms[(n % _llms.Length + 1) % _llms.Length];
        var key = string.Create(CultureInfo.InvariantCulture, $"bench-{Environment.ProcessId}-{n}");
        return new FeedbackRecord
        {
            Tenant = Tenants.Default,
            IdempotencyKey = key,
            RequestFingerprint = key, // the caller's digest; any string that differs between payloads
            UserExternalId = _users[n % _users.Length],
            Conversation = null,
            Step = 0,
            OccurredAt = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(n),
            QueryText = string.Create(CultureInfo.InvariantCulture, $"Benchmark question {n}: which of these answers is clearer, and why does it matter for the reader?"),
            Responses =
            [
                new FeedbackResponse { Llm = first, Rating = 7, Text = "A first answer of typical length for a short question.", CostUsd = 0.0012 },
                new FeedbackResponse { Llm = second, Rating = 4, Text = "A second answer, somewhat shorter.", CostUsd = 0.0003 },
            ],
        };
    }
}
