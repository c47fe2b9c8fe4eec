using System.Text.Json.Nodes;
using GraphRouter.Storage.History;
using GraphRouter.Storage.Policies;
using GraphRouter.Storage.Registry;
using GraphRouter.Storage.Tenancy;
using GraphRouter.Storage.Tests.Postgres;
using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Storage.Tests.Contract;

/// <summary>The service state beside the graph on every backend: model registry, user summaries, policies, training runs, readiness.</summary>
public abstract class ServiceStateContract
{
    private static readonly DateTimeOffset T0 = new(2027, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly StoreFixture _fixture;

    protected ServiceStateContract(StoreFixture fixture) => _fixture = fixture;

    private async Task<(IGraphStore Store, TestClock Clock)> ClockedStoreAsync()
    {
        var clock = new TestClock(T0);
        return (await _fixture.CreateEmptyStoreAsync(options: new GraphStoreOptions { Time = clock }), clock);
    }

    [StoreFact]
    public async Task A_setting_is_absent_until_set_and_the_last_write_wins()
    {
        var store = await _fixture.CreateEmptyStoreAsync();

        var before = await store.GetSettingAsync(StoreSettings.DefaultCostWeight);
        await store.SetSettingAsync(StoreSettings.DefaultCostWeight, "0.5");
        await store.SetSettingAsync(StoreSettings.DefaultCostWeight, "12.25");
        var after = await store.GetSettingAsync(StoreSettings.DefaultCostWeight);

        Assert.Null(before);
        Assert.Equal(12.25, JsonNode.Parse(after!)!.GetValue<double>());
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetSettingAsync(StoreSettings.DefaultCostWeight, "not json"));
        Assert.Equal(12.25, JsonNode.Parse((await store.GetSettingAsync(StoreSettings.DefaultCostWeight))!)!.GetValue<double>());
    }

    [StoreFact]
    public async Task A_registered_model_is_listed_available_and_its_update_keeps_what_is_not_given()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        await store.ImportAsync(Datasets.MultiTurn("u0001", 1));

        var added = await store.RegisterModelAsync(new ModelRegistration { Name = "acme/large", Vendor = "Acme", Description = "big", InputPricePerMillion = 3, OutputPricePerMillion = 15 });
        var updated = await store.RegisterModelAsync(new ModelRegistration { Name = "acme/large", Description = "bigger", OutputPricePerMillion = 12 });
        var models = await store.GetModelsAsync();

        Assert.Equal(new RegisteredModel { Name = "acme/large", Vendor = "Acme", Description = "big", InputPricePerMillion = 3, OutputPricePerMillion = 15, Available = true }, added);
        Assert.Equal(added with { Description = "bigger", OutputPricePerMillion = 12 }, updated);
        Assert.Equal(Datasets.RouterBench.Llms.Count + 1, models.Count);
        Assert.Equal(models.Select(m => m.Name).Order(StringComparer.Ordinal), models.Select(m => m.Name));
        Assert.Equal(updated, models.Single(m => m.Name == "acme/large"));
        var imported = Datasets.RouterBench.Llms[0];
        Assert.Equal(new RegisteredModel { Name = imported.Name, Vendor = imported.Vendor, Description = imported.Description, InputPricePerMillion = imported.InputPricePerMillion, OutputPricePerMillion = imported.OutputPricePerMillion, Available = true },
            models.Single(m => m.Name == imported.Name));
    }

    [StoreFact]
    public async Task Availability_is_set_kept_through_re_registration_and_unknown_models_are_null()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        await store.RegisterModelAsync(new ModelRegistration { Name = "m1" });

        var off = await store.SetModelAvailabilityAsync("m1", false);
        var reRegistered = await store.RegisterModelAsync(new ModelRegistration { Name = "m1", Description = "now described" });
        var unknown = await store.SetModelAvailabilityAsync("nope", false);
        var on = await store.SetModelAvailabilityAsync("m1", true);

        Assert.Equal(new RegisteredModel { Name = "m1", Vendor = "", Description = "", Available = false }, off);
        Assert.False(reRegistered.Available);
        Assert.Null(unknown);
        Assert.True(on!.Available);
        Assert.Equal(["m1"], (await store.GetModelsAsync()).Select(m => m.Name));
    }

    [StoreFact]
    public async Task Invalid_registrations_are_refused_and_change_nothing()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        await store.RegisterModelAsync(new ModelRegistration { Name = "m1", InputPricePerMillion = 1 });

        await Assert.ThrowsAsync<ArgumentException>(() => store.RegisterModelAsync(new ModelRegistration { Name = " " }));
        await Assert.ThrowsAsync<ArgumentException>(() => store.RegisterModelAsync(new ModelRegistration { Name = "m1", InputPricePerMillion = -1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => store.RegisterModelAsync(new ModelRegistration { Name = "m2", OutputPricePerMillion = double.PositiveInfinity }));

        Assert.Equal([new RegisteredModel { Name = "m1", Vendor = "", Description = "", InputPricePerMillion = 1, Available = true }], await store.GetModelsAsync());
    }

    [StoreFact]
    public async Task A_user_summary_counts_interactions_and_knows_no_stranger()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        var data = Datasets.MultiTurn("u0001", 3);
        await store.ImportAsync(data);

        var summary = await store.GetUserSummaryAsync(TenantUser.InDefaultTenant("u0001"));
        var stranger = await store.GetUserSummaryAsync(TenantUser.InDefaultTenant("nobody"));

        Assert.Equal(new UserSummary { Tenant = Tenants.Default, ExternalId = "u0001", Interactions = 3, LastSeen = data.Interactions.Max(i => i.Timestamp) }, summary);
        Assert.Null(stranger);
    }

    private static PolicyRegistration Policy(string version, int day, string? metrics = """{"accuracy": 0.7}""") => new()
    {
        Version = version,
        Created = T0.AddDays(day),
        Path = $"/policies/{version}",
        ManifestJson = $$$"""{"version": "{{{version}}}", "files": {"scorer.onnx": "sha-{{{version}}}"}}""",
        MetricsJson = metrics,
    };

    [StoreFact]
    public async Task Registering_a_policy_again_is_idempotent_and_another_manifest_is_a_conflict()
    {
        var (store, _) = await ClockedStoreAsync();
        var v1 = Policy("v1", 0);

        var first = await store.RegisterPolicyAsync(v1);
        var again = await store.RegisterPolicyAsync(v1 with { ManifestJson = """ { "files": {"scorer.onnx": "sha-v1"},   "version": "v1" } """ });
        var moved = await store.RegisterPolicyAsync(v1 with { Path = "/elsewhere/v1", Created = T0.AddDays(9) });
        var error = await Assert.ThrowsAsync<StoreConflictException>(() => store.RegisterPolicyAsync(v1 with { ManifestJson = """{"version": "v1", "files": {}}""" }));

        Assert.Equal("v1", first.Version);
        Assert.Equal(v1.Created, first.Created);
        Assert.False(first.Active);
        Assert.Null(first.ActivatedAt);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(v1.ManifestJson), JsonNode.Parse(first.ManifestJson)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(v1.MetricsJson!), JsonNode.Parse(first.MetricsJson!)));
        Assert.Equal(first, again);
        Assert.Equal(first with { Path = "/elsewhere/v1" }, moved);
        Assert.Equal("policy version 'v1' is already registered with a different manifest; nothing was stored", error.Message);
        Assert.Equal([moved], await store.GetPoliciesAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => store.RegisterPolicyAsync(Policy("v2", 1) with { ManifestJson = "[1, 2]" }));
        await Assert.ThrowsAsync<ArgumentException>(() => store.RegisterPolicyAsync(Policy("v2", 1) with { MetricsJson = "{not json" }));
        Assert.Single(await store.GetPoliciesAsync());
    }

    [StoreFact]
    public async Task Activation_is_exclusive_and_rollbacks_walk_back_through_the_activation_history()
    {
        var (store, clock) = await ClockedStoreAsync();
        foreach (var (version, day) in new[] { ("v1", 0), ("v2", 1), ("v3", 2), ("v4", 3) })
        {
            await store.RegisterPolicyAsync(Policy(version, day));
        }
        Assert.Null(await store.GetActivePolicyAsync());
        Assert.Equal("no policy activation to roll back: no policy is active", (await Assert.ThrowsAsync<StoreConflictException>(() => store.RollbackPolicyAsync())).Message);
        var missing = await Assert.ThrowsAsync<StoreNotFoundException>(() => store.ActivatePolicyAsync("v9"));
        Assert.Equal("policy version 'v9' is not registered", missing.Message);

        async Task<string> ActivateAsync(string version)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var activated = await store.ActivatePolicyAsync(version);
            Assert.Equal(clock.Now, activated.ActivatedAt);
            return activated.Version;
        }

        async Task<string> RollbackAsync()
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var restored = await store.RollbackPolicyAsync();
            Assert.Equal(clock.Now, restored.ActivatedAt);
            return restored.Version;
        }

        Assert.Equal("v1", await ActivateAsync("v1"));
        var conflict = await Assert.ThrowsAsync<StoreConflictException>(() => store.RollbackPolicyAsync());
        Assert.Equal("no policy activation to roll back: 'v1' is the only version in the activation history", conflict.Message);
        Assert.Equal("v2", await ActivateAsync("v2"));
        Assert.Equal("v3", await ActivateAsync("v3"));
        var unchanged = await store.ActivatePolicyAsync("v3");
        Assert.Equal(clock.Now, unchanged.ActivatedAt);
        Assert.Equal("v2", await RollbackAsync());
        Assert.Equal("v1", await RollbackAsync());
        await Assert.ThrowsAsync<StoreConflictException>(() => store.RollbackPolicyAsync());
        Assert.Equal("v4", await ActivateAsync("v4"));
        Assert.Equal("v1", await RollbackAsync());

        var policies = await store.GetPoliciesAsync();
        Assert.Equal(["v4", "v3", "v2", "v1"], policies.Select(p => p.Version));
        Assert.Equal("v1", Assert.Single(policies, p => p.Active).Version);
        Assert.Equal("v1", (await store.GetActivePolicyAsync())!.Version);
    }

    [StoreFact]
    public async Task Concurrent_activations_leave_exactly_one_active_policy_at_every_read()
    {
        var store = await _fixture.CreateEmptyStoreAsync();
        var second = await _fixture.OpenAgainAsync(store);
        var versions = new[] { "p1", "p2", "p3", "p4" };
        for (var k = 0; k < versions.Length; k++)
        {
            await store.RegisterPolicyAsync(Policy(versions[k], k));
        }
        await store.ActivatePolicyAsync("p1");
        using var done = new CancellationTokenSource();
        // The writers start once the reader has read once, so reads overlap the writes even on a busy machine
        // (where the 90 writes could otherwise all finish before the reader's first read).
        var readerRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            await readerRunning.Task;
            var handle = w % 2 == 0 ? store : second;
            for (var k = 0; k < 15; k++)
            {
                if ((w + k) % 3 == 0)
                {
                    try
                    {
                        await handle.RollbackPolicyAsync();
                    }
                    catch (StoreConflictException)
                    {
                        // nothing to roll back to at this moment: a valid answer
                    }
                }
                else
                {
                    await handle.ActivatePolicyAsync(versions[(w * 7 + k) % versions.Length]);
                }
            }
        })).ToList();
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var policies = await second.GetPoliciesAsync();
                Assert.Single(policies, p => p.Active);
                Assert.NotNull(await store.GetActivePolicyAsync());
                reads++;
                readerRunning.TrySetResult();
            }
        });

        if (await Task.WhenAny(readerRunning.Task, reader) == reader)
        {
            await reader; // its first read failed: that failure, not writers waiting for ever
        }

        await Task.WhenAll(writers);
        await done.CancelAsync();
        await reader;

        Assert.True(reads > 0);
        Assert.Single(await store.GetPoliciesAsync(), p => p.Active);
    }

    [StoreFact]
    public async Task Queued_training_runs_come_back_newest_first_even_within_one_instant()
    {
        var (store, clock) = await ClockedStoreAsync();
        var configs = new[] { """{"epochs": 1}""", """{"epochs": 2, "warmStart": true}""", """{"epochs": 3}""", "{}" };

        var queued = new List<TrainingRunRecord>();
        foreach (var config in configs)
        {
            queued.Add(await store.QueueTrainingRunAsync(config));
        }
        clock.Advance(TimeSpan.FromSeconds(1));
        var later = await store.QueueTrainingRunAsync("""{"epochs": 5}""");

        var all = await store.GetTrainingRunsAsync(10);
        var lastTwo = await store.GetTrainingRunsAsync(2);

        Assert.Equal(5, queued.Append(later).Select(r => r.Id).Distinct().Count());
        Assert.All(queued, r => Assert.Equal((TrainingRunStatus.Queued, 0.0, T0, (DateTimeOffset?)null, (DateTimeOffset?)null, (string?)null, (string?)null, (string?)null),
            (r.Status, r.Progress, r.Created, r.Started, r.Finished, r.MetricsJson, r.PolicyVersion, r.Error)));
        Assert.Equal(T0.AddSeconds(1), later.Created);
        Assert.Equal(queued.Append(later).Select(r => r.Sequence).Order(), queued.Append(later).Select(r => r.Sequence));
        Assert.Equal(queued.Append(later).Reverse().Select(r => r.Id), all.Select(r => r.Id));
        Assert.Equal(queued.Append(later).Reverse(), all);
        Assert.Equal(all.Take(2), lastTwo);
        Assert.All(all.Zip(configs.Append("""{"epochs": 5}""").Reverse()), p => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(p.Second), JsonNode.Parse(p.First.ConfigJson))));
        Assert.Empty(await store.GetTrainingRunsAsync(0));
        await Assert.ThrowsAsync<ArgumentException>(() => store.QueueTrainingRunAsync("{oops"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetTrainingRunsAsync(-1));
        Assert.Equal(5, (await store.GetTrainingRunsAsync(100)).Count);
    }

    [StoreFact]
    public async Task Ping_answers_for_a_migrated_store_only()
    {
        var migrated = await _fixture.CreateEmptyStoreAsync();
        var unmigrated = await _fixture.CreateEmptyStoreAsync(migrate: false);
        var closed = await _fixture.OpenAgainAsync(migrated);
        await closed.DisposeAsync();

        Assert.True(await migrated.PingAsync());
        Assert.False(await unmigrated.PingAsync());
        Assert.False(await closed.PingAsync());
    }
}
