using System.Globalization;
using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;
using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.Snapshots;
using GraphRouter.Storage.Tests.Postgres;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary><see cref="IGraphStore.ReadSnapshotAsync"/> on every backend: what a retraining reads, in one consistent view.</summary>
public abstract class SnapshotContract
{
    private static readonly DateTimeOffset T0 = new(2027, 7, 1, 6, 30, 0, TimeSpan.Zero);

    private readonly StoreFixture _fixture;

    protected SnapshotContract(StoreFixture fixture) => _fixture = fixture;

    /// <summary>Whether the backend numbers feedback in commit order, so that a snapshot holds exactly the feedback numbered up to its watermark.</summary>
    protected abstract bool NumbersFeedbackInCommitOrder { get; }

    /// <summary>An interaction as comparable text: who, where, when, what, and its ratings in order.</summary>
    private static string Row(Interaction i) => string.Create(CultureInfo.InvariantCulture,
        $"{i.User}|{i.Conversation}|{i.Step}|{i.Timestamp.ToUnixTimeMilliseconds()}|{i.QueryId}|{string.Join(';', i.Ratings.Select(r => $"{r.Llm}={r.Rating}"))}");

    [StoreFact]
    public async Task A_store_that_imported_routerbench_gives_back_the_routerbench_dataset()
    {
        var (store, _) = await _fixture.ImportedAsync();
        var expected = RouterBenchReader.Load(BundledData.RouterBench);

        var snapshot = await store.ReadSnapshotAsync();

        var actual = snapshot.Dataset;
        Assert.Equal(expected.Llms.OrderBy(l => l.Name, StringComparer.Ordinal), actual.Llms.OrderBy(l => l.Name, StringComparer.Ordinal));
        Assert.Equal(expected.Queries.OrderBy(q => q.Id, StringComparer.Ordinal), actual.Queries.OrderBy(q => q.Id, StringComparer.Ordinal));
        Assert.Equal(expected.Outcomes.OrderBy(o => (o.QueryId, o.Llm)), actual.Outcomes.OrderBy(o => (o.QueryId, o.Llm)));
        Assert.Equal(expected.Interactions.Select(Row).Order(StringComparer.Ordinal), actual.Interactions.Select(Row).Order(StringComparer.Ordinal));
        Assert.Equal(expected.ByUser().Select(g => g.Key).Order(StringComparer.Ordinal), actual.ByUser().Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.All(actual.ByUser(), user => Assert.Equal(user.Select(i => i.Timestamp).Order(), user.Select(i => i.Timestamp)));
        Assert.Equal(actual.Interactions.Count, actual.ByUser().Sum(g => g.Count()));
        Assert.Equal(expected.Tasks.Order(StringComparer.Ordinal), actual.Tasks.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Scale, actual.Scale);
        Assert.Equal(expected.RatedResponseCount, actual.RatedResponseCount);
        Assert.Equal((0L, 0), (snapshot.FeedbackWatermark, snapshot.FeedbackCount));
        Assert.StartsWith($"{store.Location} feedback<=0 (0 feedback, 25,622 interactions) at ", snapshot.Description, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Feedback_is_in_the_snapshot_with_its_watermark_and_count()
    {
        var clock = new TestClock(T0);
        var store = await _fixture.CreateEmptyStoreAsync(options: new GraphStoreOptions { Time = clock });
        var seed = Datasets.MultiTurn("u0001", 3);
        await store.ImportAsync(seed);
        var llms = Feedbacks.Llms;
        var feedback = new[]
        {
            Feedbacks.Simple("fb-1", "u0001", "What is the boiling point of water at sea level?", occurredAt: T0.AddMinutes(1)),
            Feedbacks.Create("fb-2", "new-user", "Write a haiku about graphs.", [Feedbacks.Rated(llms[2], 9, "nodes and edges"), Feedbacks.Rated(llms[0], 2)],
                conversation: "app-7", step: 0, occurredAt: T0.AddMinutes(2)),
            Feedbacks.Create("fb-3", "new-user", "And one about routers.", [Feedbacks.Rated(llms[0], 5, "packets flow"), Feedbacks.Rated(llms[2], 5, "paths")],
                conversation: "app-7", step: 1, occurredAt: T0.AddMinutes(3)),
            Feedbacks.Simple("fb-4", "u0002", "What is the boiling point of water at sea level?", occurredAt: T0.AddMinutes(4)),
        };

        var empty = await store.ReadSnapshotAsync();
        foreach (var record in feedback)
        {
            await store.RecordFeedbackAsync(record);
        }
        Assert.True((await store.RecordFeedbackAsync(feedback[0])).Duplicate);
        clock.Advance(TimeSpan.FromSeconds(90));
        var snapshot = await store.ReadSnapshotAsync();

        Assert.Equal((0L, 0, seed.Interactions.Count), (empty.FeedbackWatermark, empty.FeedbackCount, empty.Dataset.Interactions.Count));
        Assert.Equal((4L, 4), (snapshot.FeedbackWatermark, snapshot.FeedbackCount));
        Assert.Equal(T0.AddSeconds(90), snapshot.TakenAt);
        Assert.Equal($"{store.Location} feedback<=4 (4 feedback, 7 interactions) at 2027-07-01T06:31:30Z", snapshot.Description);
        var expectedRows = seed.Interactions.Select(Row).Concat(feedback.Select(f => Row(new Interaction
        {
            User = f.UserExternalId,
            Conversation = f.Conversation ?? FeedbackConventions.ConversationFor(f.IdempotencyKey),
            Step = f.Step,
            Timestamp = f.OccurredAt,
            QueryId = FeedbackConventions.QueryExternalId(f.QueryText),
            Ratings = f.Responses.Select(r => new RatedLlm(r.Llm, r.Rating)).ToList(),
        })));
        Assert.Equal(expectedRows.Order(StringComparer.Ordinal), snapshot.Dataset.Interactions.Select(Row).Order(StringComparer.Ordinal));
        Assert.Equal(["new-user", "u0001", "u0002"], snapshot.Dataset.ByUser().Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["app-7|0", "app-7|1"], snapshot.Dataset.Interactions.Where(i => i.User == "new-user").Select(i => $"{i.Conversation}|{i.Step}"));
        var sharedQuery = snapshot.Dataset.Query(FeedbackConventions.QueryExternalId("What is the boiling point of water at sea level?"));
        Assert.Equal(("", "What is the boiling point of water at sea level?"), (sharedQuery.Task, sharedQuery.Text));
        Assert.Equal(seed.Queries.Count + 3, snapshot.Dataset.Queries.Count);
        // Responses first seen in feedback carry no measured score: they are no outcomes, the imported ones all are.
        Assert.Equal(seed.Outcomes.OrderBy(o => (o.QueryId, o.Llm)), snapshot.Dataset.Outcomes.OrderBy(o => (o.QueryId, o.Llm)));
    }

    [StoreFact]
    public async Task Other_tenants_users_are_named_tenant_slash_user_and_a_name_a_default_user_holds_gets_a_number()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        await store.ImportAsync(Datasets.MultiTurn("u0001", 2));
        await store.CreateTenantAsync("acme");
        await store.CreateTenantAsync("beta");
        // The default tenant's users "acme/bob" and "acme/bob#2" hold the names acme's "bob" would get first.
        var feedback = new[]
        {
            Feedbacks.Simple("k1", "acme/bob", "from default acme/bob", occurredAt: T0),
            Feedbacks.Simple("k2", "acme/bob#2", "from default acme/bob#2", occurredAt: T0),
            Feedbacks.Simple("k1", "bob", "from acme bob", occurredAt: T0, tenant: "acme"),
            Feedbacks.Simple("k2", "u0001", "from acme u0001", occurredAt: T0, tenant: "acme"),
            Feedbacks.Simple("k1", "bob", "from beta bob", occurredAt: T0, tenant: "beta"),
        };
        foreach (var record in feedback)
        {
            Assert.False((await store.RecordFeedbackAsync(record)).Duplicate);
        }

        var snapshot = await store.ReadSnapshotAsync();
        var again = await store.ReadSnapshotAsync();

        string Asked(Interaction i) => snapshot.Dataset.Query(i.QueryId).Text;
        var byUser = snapshot.Dataset.ByUser().ToDictionary(g => g.Key, g => g.Select(Asked).ToList(), StringComparer.Ordinal);
        Assert.Equal(["acme/bob", "acme/bob#2", "acme/bob#3", "acme/u0001", "beta/bob", "u0001"], byUser.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["from default acme/bob"], byUser["acme/bob"]);
        Assert.Equal(["from default acme/bob#2"], byUser["acme/bob#2"]);
        Assert.Equal(["from acme bob"], byUser["acme/bob#3"]);
        Assert.Equal(["from acme u0001"], byUser["acme/u0001"]);
        Assert.Equal(["from beta bob"], byUser["beta/bob"]);
        Assert.Equal(2, byUser["u0001"].Count);
        Assert.Equal((5L, 5), (snapshot.FeedbackWatermark, snapshot.FeedbackCount));
        Assert.Equal(snapshot.Dataset.Interactions.Select(Row), again.Dataset.Interactions.Select(Row));
    }

    [StoreFact]
    public async Task Snapshots_taken_while_feedback_is_written_hold_whole_feedback_matching_their_watermark()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        await store.ImportAsync(Datasets.MultiTurn("u0001", 2));
        var writerHandle = await _fixture.OpenAgainAsync(store);
        const int writers = 3, perWriter = 15;
        using var go = new ManualResetEventSlim();

        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            go.Wait();
            for (var k = 0; k < perWriter; k++)
            {
                await writerHandle.RecordFeedbackAsync(Feedbacks.Simple($"w{w}-{k}", $"user-{w}", $"question {k} of writer {w}", occurredAt: Feedbacks.Epoch.AddMinutes(k)));
            }
        })).ToList();
        var snapshots = new List<StoreSnapshot> { await store.ReadSnapshotAsync() };
        go.Set();
        while (!writing.All(t => t.IsCompleted))
        {
            snapshots.Add(await store.ReadSnapshotAsync());
        }
        await Task.WhenAll(writing);
        snapshots.Add(await store.ReadSnapshotAsync());

        var seqs = (await _fixture.ReadAsync(store, "SELECT idempotency_key, seq FROM feedback_keys"))
            .Select(row => row.Split('|')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        Assert.Equal(writers * perWriter, seqs.Count);
        Assert.Equal(seqs.Count, seqs.Values.Distinct().Count());
        foreach (var snapshot in snapshots)
        {
            var included = snapshot.Dataset.Interactions.Where(i => i.Conversation.StartsWith(FeedbackConventions.KeyConversationPrefix, StringComparison.Ordinal)).ToList();
            Assert.All(included, i => Assert.Equal(2, i.Ratings.Count));
            var keys = included.Select(i => i.Conversation[FeedbackConventions.KeyConversationPrefix.Length..]).ToList();
            Assert.Equal(snapshot.FeedbackCount, keys.Count);
            Assert.Equal(2 + keys.Count, snapshot.Dataset.Interactions.Count);
            Assert.Equal(keys.Count == 0 ? 0 : keys.Max(k => seqs[k]), snapshot.FeedbackWatermark);
            Assert.All(keys, k => Assert.True(snapshot.Dataset.TryGetQuery(FeedbackConventions.QueryExternalId($"question {k.Split('-')[1]} of writer {k.Split('-')[0][1..]}"), out _)));
            if (NumbersFeedbackInCommitOrder)
            {
                Assert.Equal(seqs.Where(p => p.Value <= snapshot.FeedbackWatermark).Select(p => p.Key).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
            }
        }
        Assert.Equal(writers * perWriter, snapshots[^1].FeedbackCount);
        Assert.Equal(seqs.Values.Max(), snapshots[^1].FeedbackWatermark);
        Assert.Equal(0, snapshots[0].FeedbackCount);
    }
}
