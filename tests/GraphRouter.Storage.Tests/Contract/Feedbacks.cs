using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.Tenancy;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>Feedback records for the tests, each with the fingerprint a caller would compute: a SHA-256 of the canonical payload.</summary>
public static class Feedbacks
{
    /// <summary>Routerbench LLM names, the models a store holds after any routerbench import.</summary>
    public static IReadOnlyList<string> Llms { get; } = Datasets.RouterBench.Llms.Select(l => l.Name).ToList();

    public static readonly DateTimeOffset Epoch = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static FeedbackRecord Create(
        string key, string user, string query, IReadOnlyList<FeedbackResponse> responses,
        string? conversation = null, int step = 0, DateTimeOffset? occurredAt = null, string? decisionId = null, string tenant = Tenants.Default)
    {
        var record = new FeedbackRecord
        {
            Tenant = tenant,
            IdempotencyKey = key,
            RequestFingerprint = "",
            UserExternalId = user,
            Conversation = conversation,
            Step = step,
            OccurredAt = occurredAt ?? Epoch,
            QueryText = query,
            Responses = responses,
            DecisionId = decisionId,
        };
        return record with { RequestFingerprint = Fingerprint(record) };
    }

    /// <summary>Two rated responses of the first two routerbench LLMs, with texts and costs.</summary>
    public static FeedbackRecord Simple(string key, string user, string query, string? conversation = null, int step = 0, DateTimeOffset? occurredAt = null,
        string tenant = Tenants.Default) =>
        Create(key, user, query,
            [Rated(Llms[0], 8, $"answer of {Llms[0]} to {query}", 0.002), Rated(Llms[1], 3, $"answer of {Llms[1]} to {query}", 0.0004)],
            conversation, step, occurredAt, tenant: tenant);

    public static FeedbackResponse Rated(string llm, double rating, string? text = null, double? costUsd = null) =>
        new() { Llm = llm, Rating = rating, Text = text, CostUsd = costUsd };

    /// <summary>The caller's fingerprint: SHA-256 over the payload serialized as JSON (the key and the fingerprint itself left out).</summary>
    public static string Fingerprint(FeedbackRecord record)
    {
        var payload = JsonSerializer.Serialize(new
        {
            record.UserExternalId,
            record.Conversation,
            record.Step,
            record.OccurredAt,
            record.QueryText,
            record.Responses,
            record.DecisionId,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));
    }
}
