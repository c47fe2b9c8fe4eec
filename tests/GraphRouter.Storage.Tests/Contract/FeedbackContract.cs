using System.Globalization;
using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.Registry;
using GraphRouter.Storage.Tenancy;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>What <see cref="IGraphStore.RecordFeedbackAsync"/> must do on every backend, on real stores seeded with real routerbench rows.</summary>
public abstract class FeedbackContract
{
    private readonly StoreFixture _fixture;

    protected FeedbackContract(StoreFixture fixture) => _fixture = fixture;

    /// <summary>SQL counting the interactions whose <c>turns_packed</c> differs from their turns, packed as migration 0002 defines.</summary>
    protected abstract string StalePackedTurnsSql { get; }

    /// <summary>A fresh store holding routerbench's LLMs and user u0001's first three interactions (one conversation).</summary>
    protected async Task<IGraphStore> SeededAsync(GraphStoreOptions? options = null)
    {
        var store = await _fixture.CreateEmptyStoreAsync(options: options);
        await store.ImportAsync(Datasets.MultiTurn("u0001", 3));
        return store;
    }

    private Task<IReadOnlyList<string>> ReadAsync(IGraphStore store, string sql) => _fixture.ReadAsync(store, sql);

    private async Task<(GraphStats Stats, string Keys)> SnapshotAsync(IGraphStore store) =>
        (await store.GetStatsAsync(), (await ReadAsync(store, "SELECT COUNT(*) FROM feedback_keys")).Single());

    private async Task AssertUnchangedAsync(IGraphStore store, (GraphStats Stats, string Keys) before)
    {
        var after = await SnapshotAsync(store);
        Assert.Equal(before.Stats, after.Stats, StatsComparer.Instance);
        Assert.Equal(before.Keys, after.Keys);
    }

    [StoreFact]
    public async Task Feedback_is_first_in_history_and_counted_in_stats()
    {
        var store = await SeededAsync();
        var before = await store.GetStatsAsync();
        var latest = Datasets.InteractionsOf("u0001").Take(3).Max(i => i.Timestamp);
        var feedback = Feedbacks.Simple("k-1", "u0001", "Which planet has the most moons?", conversation: "app-c1", step: 0, occurredAt: latest.AddHours(1));

        var result = await store.RecordFeedbackAsync(feedback);

        Assert.False(result.Duplicate);
        Assert.Equal(4, result.UserInteractions);
        var history = await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("u0001"), 10);
        Assert.Equal(4, history.Count);
        var first = history[0];
        Assert.Equal("app-c1", first.Conversation);
        Assert.Equal(0, first.Step);
        Assert.Equal(feedback.OccurredAt, first.Timestamp);
        Assert.Equal(FeedbackConventions.QueryExternalId(feedback.QueryText), first.QueryId);
        Assert.Equal(feedback.QueryText, first.QueryText);
        Assert.Equal(feedback.Responses.Select(r => (r.Llm, r.Rating, r.Text, r.CostUsd)), first.Responses.Select(r => (r.Llm, r.Rating, r.Text, r.CostUsd)));
        var after = await store.GetStatsAsync();
        Assert.Equal(before.Interactions + 1, after.Interactions);
        Assert.Equal(before.NodeCount("User"), after.NodeCount("User"));
        Assert.Equal(before.NodeCount("Query") + 1, after.NodeCount("Query"));
        Assert.Equal(before.NodeCount("Response") + 2, after.NodeCount("Response"));
        Assert.Equal(before.NodeCount("Turn") + 2, after.NodeCount("Turn"));
        Assert.Equal(before.EdgeCount("Turn", "User") + 2, after.EdgeCount("Turn", "User"));
        Assert.Equal(before.NodeCount("Llm"), after.NodeCount("Llm"));
        var summary = await store.GetUserSummaryAsync(TenantUser.InDefaultTenant("u0001"));
        Assert.Equal(new Storage.History.UserSummary { Tenant = Tenants.Default, ExternalId = "u0001", Interactions = 4, LastSeen = feedback.OccurredAt }, summary);
        Assert.Equal(["k-1|" + feedback.RequestFingerprint + "||app-c1"],
            await ReadAsync(store, "SELECT k.idempotency_key, k.request_fingerprint, k.decision_id, i.conversation FROM feedback_keys k JOIN interactions i ON i.id = k.interaction_id"));
    }

    [StoreFact]
    public async Task A_new_user_is_created_and_a_missing_conversation_comes_from_the_key()
    {
        var store = await SeededAsync();
        var before = await store.GetStatsAsync();
        var feedback = Feedbacks.Simple("key-without-conversation", "brand-new-user", "Name a prime above 100.") with { DecisionId = "decision-7" };

        var result = await store.RecordFeedbackAsync(feedback);

        Assert.Equal(new FeedbackWriteResult { Duplicate = false, UserInteractions = 1 }, result);
        var history = await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("brand-new-user"), 10);
        Assert.Equal("feedback:key-without-conversation", Assert.Single(history).Conversation);
        Assert.Equal(FeedbackConventions.ConversationFor("key-without-conversation"), history[0].Conversation);
        Assert.Equal(before.NodeCount("User") + 1, (await store.GetStatsAsync()).NodeCount("User"));
        Assert.Equal(["decision-7"], await ReadAsync(store, "SELECT decision_id FROM feedback_keys"));
    }

    [StoreFact]
    public async Task A_replay_of_the_same_key_is_a_duplicate_and_writes_nothing()
    {
        var store = await SeededAsync();
        var feedback = Feedbacks.Simple("replayed", "u0001", "What is the boiling point of water at sea level?");
        var first = await store.RecordFeedbackAsync(feedback);
        var before = await SnapshotAsync(store);

        var replay = await store.RecordFeedbackAsync(feedback);

        Assert.False(first.Duplicate);
        Assert.Equal(new FeedbackWriteResult { Duplicate = true, UserInteractions = first.UserInteractions }, replay);
        await AssertUnchangedAsync(store, before);
        Assert.Equal(4, (await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("u0001"), 100)).Count);
    }

    [StoreFact]
    public async Task The_same_key_with_another_payload_is_a_conflict_and_writes_nothing()
    {
        var store = await SeededAsync();
        await store.RecordFeedbackAsync(Feedbacks.Simple("reused-key", "u0001", "First question"));
        var before = await SnapshotAsync(store);
        var other = Feedbacks.Simple("reused-key", "someone-else", "Another question", conversation: "c-x", step: 2);

        var error = await Assert.ThrowsAsync<StoreConflictException>(() => store.RecordFeedbackAsync(other));

        Assert.Contains("'reused-key'", error.Message, StringComparison.Ordinal);
        Assert.Contains("fingerprint", error.Message, StringComparison.Ordinal);
        await AssertUnchangedAsync(store, before);
        Assert.Null(await store.GetUserSummaryAsync(TenantUser.InDefaultTenant("someone-else")));
    }

    [StoreFact]
    public async Task Unregistered_models_are_not_found_and_nothing_is_written()
    {
        var store = await SeededAsync();
        var before = await SnapshotAsync(store);
        var feedback = Feedbacks.Create("k-unknown", "new-user-x", "A query never seen",
            [Feedbacks.Rated(Feedbacks.Llms[0], 5, "text"), Feedbacks.Rated("no-such-model", 6), Feedbacks.Rated("gpt-9", 7)]);

        var error = await Assert.ThrowsAsync<StoreNotFoundException>(() => store.RecordFeedbackAsync(feedback));

        Assert.Equal(StoreNotFoundException.Model, error.Kind);
        Assert.Equal(["no-such-model", "gpt-9"], error.Names);
        Assert.Equal("models 'no-such-model', 'gpt-9' are not registered", error.Message);
        await AssertUnchangedAsync(store, before);
        Assert.Null(await store.GetUserSummaryAsync(TenantUser.InDefaultTenant("new-user-x")));
    }

    [StoreFact]
    public async Task Concurrent_feedback_with_one_bad_item_stores_every_good_one_and_only_them()
    {
        // On SQLite concurrent writes share one group commit: a bad item must be undone alone.
        var store = await SeededAsync();
        var feedbacks = Enumerable.Range(0, 12).Select(i => i == 5
            ? Feedbacks.Create($"batch-{i}", "batch-user", $"Question {i}", [Feedbacks.Rated("no-such-model", 6)])
            : Feedbacks.Simple($"batch-{i}", "batch-user", $"Question {i}", conversation: $"batch-c{i}")).ToList();

        var outcomes = await Task.WhenAll(feedbacks.Select(async f =>
        {
            try
            {
                return (Ok: true, Interactions: (await store.RecordFeedbackAsync(f)).UserInteractions);
            }
            catch (StoreNotFoundException)
            {
                return (Ok: false, Interactions: -1);
            }
        }));

        Assert.Equal(11, outcomes.Count(o => o.Ok));
        Assert.False(outcomes[5].Ok);
        Assert.Equal(Enumerable.Range(1, 11), outcomes.Where(o => o.Ok).Select(o => o.Interactions).Order());
        Assert.Equal(11, (await store.GetUserSummaryAsync(TenantUser.InDefaultTenant("batch-user")))!.Interactions);
        var history = await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("batch-user"), 100);
        Assert.Equal(11, history.Count);
        Assert.DoesNotContain(history, h => h.QueryText == "Question 5");
    }

    [StoreFact]
    public async Task A_step_already_taken_is_a_conflict_and_writes_nothing()
    {
        var store = await SeededAsync();
        await store.RecordFeedbackAsync(Feedbacks.Simple("step-a", "u0001", "Q one", conversation: "conv", step: 4));
        var before = await SnapshotAsync(store);

        var error = await Assert.ThrowsAsync<StoreConflictException>(() =>
            store.RecordFeedbackAsync(Feedbacks.Simple("step-b", "u0001", "Q two", conversation: "conv", step: 4)));

        Assert.Equal("user 'u0001' already has an interaction at step 4 of conversation 'conv'; nothing was stored", error.Message);
        await AssertUnchangedAsync(store, before);
    }

    [StoreFact]
    public async Task Invalid_feedback_is_refused_before_anything_is_written()
    {
        var store = await SeededAsync();
        var before = await SnapshotAsync(store);
        var valid = Feedbacks.Simple("valid", "u0001", "Some question");
        FeedbackRecord[] invalid =
        [
            valid with { IdempotencyKey = " " },
            valid with { RequestFingerprint = "" },
            valid with { UserExternalId = "" },
            valid with { Step = -1 },
            valid with { QueryText = "" },
            valid with { QueryText = "nul \0 inside" },
            valid with { Responses = [] },
            valid with { Responses = [Feedbacks.Rated(Feedbacks.Llms[0], 1), Feedbacks.Rated(Feedbacks.Llms[0], 2)] },
            valid with { Responses = [Feedbacks.Rated(Feedbacks.Llms[0], double.NaN)] },
            valid with { Responses = [Feedbacks.Rated(Feedbacks.Llms[0], 1, costUsd: -1)] },
        ];

        foreach (var feedback in invalid)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RecordFeedbackAsync(feedback));
        }

        await AssertUnchangedAsync(store, before);
    }

    [StoreFact]
    public async Task Query_nodes_and_responses_are_shared_and_a_stored_response_never_changes()
    {
        var store = await SeededAsync();
        var before = await store.GetStatsAsync();
        const string query = "Summarise the plot of Hamlet in one sentence.";
        var firstText = Feedbacks.Rated(Feedbacks.Llms[2], 9, "first text", 0.01);

        await store.RecordFeedbackAsync(Feedbacks.Create("share-1", "sharer-a", query, [firstText]));
        await store.RecordFeedbackAsync(Feedbacks.Create("share-2", "sharer-b", query,
            [Feedbacks.Rated(Feedbacks.Llms[2], 2, "other text", 0.5), Feedbacks.Rated(Feedbacks.Llms[3], 4, "fourth", null)]));

        var after = await store.GetStatsAsync();
        Assert.Equal(before.NodeCount("Query") + 1, after.NodeCount("Query"));
        Assert.Equal(before.NodeCount("Response") + 2, after.NodeCount("Response"));
        var b = Assert.Single(await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("sharer-b"), 10));
        Assert.Equal(FeedbackConventions.QueryExternalId(query), b.QueryId);
        Assert.Equal([(Feedbacks.Llms[2], 2.0, "first text", (double?)0.01), (Feedbacks.Llms[3], 4.0, "fourth", null)],
            b.Responses.Select(r => (r.Llm, r.Rating, r.Text, r.CostUsd)));
    }

    [StoreFact]
    public async Task Steps_of_a_conversation_are_linked_whatever_order_their_feedback_arrives_in()
    {
        var store = await SeededAsync();
        var before = (await store.GetStatsAsync()).EdgeCount("Turn", "Turn");
        FeedbackResponse[] two = [Feedbacks.Rated(Feedbacks.Llms[0], 5), Feedbacks.Rated(Feedbacks.Llms[1], 6)];
        FeedbackResponse[] three = [.. two, Feedbacks.Rated(Feedbacks.Llms[4], 7)];

        await store.RecordFeedbackAsync(Feedbacks.Create("s0", "linker", "step zero", two, "multi", 0, Feedbacks.Epoch));
        await store.RecordFeedbackAsync(Feedbacks.Create("s2", "linker", "step two", two, "multi", 2, Feedbacks.Epoch.AddMinutes(2)));
        await store.RecordFeedbackAsync(Feedbacks.Create("s1", "linker", "step one", three, "multi", 1, Feedbacks.Epoch.AddMinutes(1)));

        Assert.Equal(before + 2 * 3 + 3 * 2, (await store.GetStatsAsync()).EdgeCount("Turn", "Turn"));
        Assert.Equal([2, 1, 0], (await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("linker"), 10)).Select(h => h.Step));
    }

    [StoreFact]
    public async Task Packed_turns_and_the_history_read_agree_with_the_turns_table()
    {
        var store = await SeededAsync();
        var ratings = new[] { 1.0 / 3, 7.25, 10, 0.1 + 0.2, -2.5, 1e-7 };
        for (var k = 0; k < ratings.Length; k++)
        {
            await store.RecordFeedbackAsync(Feedbacks.Create($"pack-{k}", "u0001", $"packed question {k % 2}",
                [Feedbacks.Rated(Feedbacks.Llms[k % 5], ratings[k], $"t{k}"), Feedbacks.Rated(Feedbacks.Llms[5], ratings[^(k + 1)])],
                occurredAt: Feedbacks.Epoch.AddMinutes(k)));
        }

        var history = await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("u0001"), 100);
        var joined = await ReadAsync(store, """
            SELECT i.conversation, i.step, q.external_id, l.name, t.rating, r.text
            FROM interactions i
            JOIN users u ON u.id = i.user_id
            JOIN queries q ON q.id = i.query_id
            JOIN turns t ON t.interaction_id = i.id
            JOIN llms l ON l.id = t.llm_id
            JOIN responses r ON r.id = t.response_id
            WHERE u.external_id = 'u0001'
            ORDER BY i.occurred_at DESC, i.id DESC, t.id
            """);

        Assert.Equal(9, history.Count);
        Assert.Equal(joined, history.SelectMany(h => h.Responses.Select(r =>
            string.Join('|', h.Conversation, h.Step.ToString(CultureInfo.InvariantCulture), h.QueryId, r.Llm, r.Rating.ToString(CultureInfo.InvariantCulture), r.Text ?? ""))));
        Assert.Equal(["0"], await ReadAsync(store, StalePackedTurnsSql));
    }

    [StoreFact]
    public async Task Concurrent_writers_store_each_key_exactly_once()
    {
        var store = await SeededAsync();
        var second = await _fixture.OpenAgainAsync(store);
        var before = await store.GetStatsAsync();
        const int writers = 8, perWriter = 25;

        // 8 writers on two store handles, users and query texts shared between writers so that they race
        // on new users, new queries and new responses.
        var distinct = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var handle = w % 2 == 0 ? store : second;
            var results = new List<FeedbackWriteResult>();
            for (var k = 0; k < perWriter; k++)
            {
                var feedback = Feedbacks.Simple($"w{w}-k{k}", $"racer-{(w + k) % 5}", $"shared question {k % 7}",
                    occurredAt: Feedbacks.Epoch.AddSeconds(k));
                results.Add(await handle.RecordFeedbackAsync(feedback));
            }
            return results;
        })).ToList();
        // 8 more racing one key (the same payload): one stores it, seven are told it is a duplicate.
        var contested = Feedbacks.Simple("contested", "racer-contested", "the contested question");
        var racing = Enumerable.Range(0, writers).Select(w => Task.Run(() => (w % 2 == 0 ? store : second).RecordFeedbackAsync(contested))).ToList();

        var stored = (await Task.WhenAll(distinct)).SelectMany(r => r).ToList();
        var raced = await Task.WhenAll(racing);

        Assert.All(stored, r => Assert.False(r.Duplicate));
        Assert.Single(raced, r => !r.Duplicate);
        Assert.All(raced, r => Assert.Equal(1, r.UserInteractions));
        var after = await store.GetStatsAsync();
        Assert.Equal(before.Interactions + writers * perWriter + 1, after.Interactions);
        Assert.Equal(before.NodeCount("Turn") + 2 * (writers * perWriter + 1), after.NodeCount("Turn"));
        Assert.Equal(before.NodeCount("User") + 6, after.NodeCount("User"));
        Assert.Equal(before.NodeCount("Query") + 8, after.NodeCount("Query"));
        Assert.Equal(before.NodeCount("Response") + 16, after.NodeCount("Response"));
        Assert.Equal([(writers * perWriter + 1).ToString(CultureInfo.InvariantCulture)], await ReadAsync(store, "SELECT COUNT(*) FROM feedback_keys"));
        for (var u = 0; u < 5; u++)
        {
            Assert.Equal(writers * perWriter / 5, (await store.GetUserSummaryAsync(TenantUser.InDefaultTenant($"racer-{u}")))!.Interactions);
        }
        Assert.Equal(["0"], await ReadAsync(store, StalePackedTurnsSql));
    }

    [StoreFact]
    public async Task Writers_racing_one_key_with_two_payloads_store_one_and_refuse_the_other()
    {
        var store = await SeededAsync();
        var second = await _fixture.OpenAgainAsync(store);
        var payloadA = Feedbacks.Simple("one-key", "racer-a", "question a");
        var payloadB = Feedbacks.Simple("one-key", "racer-b", "question b");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            try
            {
                var result = await (w % 2 == 0 ? store : second).RecordFeedbackAsync(w < 4 ? payloadA : payloadB);
                return (Payload: w < 4 ? 'a' : 'b', Outcome: result.Duplicate ? "duplicate" : "stored");
            }
            catch (StoreConflictException)
            {
                return (Payload: w < 4 ? 'a' : 'b', Outcome: "conflict");
            }
        })));

        var winner = Assert.Single(outcomes, o => o.Outcome == "stored").Payload;
        Assert.All(outcomes.Where(o => o.Payload == winner && o.Outcome != "stored"), o => Assert.Equal("duplicate", o.Outcome));
        Assert.All(outcomes.Where(o => o.Payload != winner), o => Assert.Equal("conflict", o.Outcome));
        Assert.Equal(["1"], await ReadAsync(store, "SELECT COUNT(*) FROM feedback_keys"));
        Assert.Null(await store.GetUserSummaryAsync(TenantUser.InDefaultTenant(winner == 'a' ? "racer-b" : "racer-a")));
    }

    [StoreFact]
    public async Task A_model_registered_at_run_time_can_be_rated()
    {
        var store = await SeededAsync();
        await store.RegisterModelAsync(new ModelRegistration { Name = "acme/new-model", Vendor = "Acme", InputPricePerMillion = 1, OutputPricePerMillion = 2 });

        var result = await store.RecordFeedbackAsync(Feedbacks.Create("new-model", "u0001", "Try the new model",
            [Feedbacks.Rated("acme/new-model", 9, "hi"), Feedbacks.Rated(Feedbacks.Llms[0], 4)]));

        Assert.False(result.Duplicate);
        Assert.Equal("acme/new-model", (await store.GetUserHistoryAsync(TenantUser.InDefaultTenant("u0001"), 1))[0].Responses[0].Llm);
    }
}
