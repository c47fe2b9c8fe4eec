using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphRouter.Core.Domain;
using GraphRouter.Routing.Calibration;
using GraphRouter.Routing.Costs;
using GraphRouter.Routing.Decisions;
using GraphRouter.Routing.Policies;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage;
using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.Policies;
using GraphRouter.Storage.Registry;
using GraphRouter.Storage.Tenancy;
using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Serving.Engine;

/// <summary>
/// The service behind the API: routes with the active <see cref="PolicyRuntime"/> and the per-user
/// embedding cache, commits feedback before acknowledging it and then recomputes that user's embedding,
/// and switches policies atomically (a policy that fails verification never replaces the active one).
/// Instances sharing a store follow each other through the store's change feed (<see cref="StoreChangeFollower"/>):
/// another instance's feedback invalidates that user's embedding here, its policy activation or rollback is
/// verified and swapped in here, and model, setting and tenant changes refresh the catalog, the settings and the
/// tenants' default costWeights.
/// <para>
/// Every user is a tenant's (<see cref="TenantUser"/>): routes, feedback and user look-ups name the caller's tenant,
/// the embedding cache is keyed by (tenant, user), and a route without a costWeight uses the tenant's default when it
/// has one, else the deployment's.
/// </para>
/// </summary>
public sealed class RouterEngine : IRouterService, IDisposable
{
    private readonly IGraphStore _store;
    private readonly EngineOptions _options;
    private readonly TimeProvider _clock;
    private readonly UserEmbeddingCache _cache;
    private readonly CostAwareDecisionRule _rule = new();
    private readonly SemaphoreSlim _policyChanges = new(1, 1);
    private ActivePolicyHolder<PolicyRuntime>? _policy;
    private volatile ModelCatalog _models = ModelCatalog.Empty;
    private double _defaultCostWeight;
    private volatile bool _costWeightOverridden;
    // The tenants that set their own default costWeight (tenants without one are absent). Writes to it, and the store
    // reads or writes they follow, hold _tenantChanges, so a refresh that read an older value never lands after a newer set.
    private readonly ConcurrentDictionary<string, double> _tenantCostWeights = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _tenantChanges = new(1, 1);
    private readonly RecomputeCoalescer<TenantUser> _recomputes;
    private readonly TextWriter? _log;
    private StoreChangeFollower? _follower;

    /// <param name="log">Where the change follower reports errors, resyncs and policies swapped in from other instances (null: nowhere).</param>
    public RouterEngine(IGraphStore store, EngineOptions options, TimeProvider? clock = null, TextWriter? log = null)
    {
        _store = store;
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _log = log;
        _cache = new UserEmbeddingCache(options.EmbeddingCacheCapacity);
        _recomputes = new RecomputeCoalescer<TenantUser>(RecomputeAsync, options.RecomputeDelay);
        _defaultCostWeight = options.DefaultCostWeight;
    }

    /// <summary>
    /// The deployment's default costWeight: this process's override, else the store's calibrated setting, else
    /// <see cref="EngineOptions.DefaultCostWeight"/>. A tenant's own default takes precedence (<see cref="DefaultCostWeightFor"/>).
    /// </summary>
    public double DefaultCostWeight => Volatile.Read(ref _defaultCostWeight);

    /// <summary>The costWeight a route of <paramref name="tenant"/> without one uses: the tenant's default if it set one, else <see cref="DefaultCostWeight"/>.</summary>
    public double DefaultCostWeightFor(string tenant) =>
        _tenantCostWeights.TryGetValue(tenant, out var weight) ? weight : DefaultCostWeight;

    public IGraphStore Store => _store;
    public UserEmbeddingCache Cache => _cache;

    /// <summary>The background re-embeddings after feedback, coalesced per user (requests and runs counted).</summary>
    public RecomputeCoalescer<TenantUser> Recomputes => _recomputes;

    /// <summary>The active policy's version, or null.</summary>
    public string? ActiveVersion
    {
        get
        {
            using var lease = TryLease();
            return lease?.Policy.Version;
        }
    }

    /// <summary>The change follower, once <see cref="StartAsync"/> started it (<see cref="EngineOptions.FollowChanges"/>); null otherwise.</summary>
    public StoreChangeFollower? Follower => _follower;

    /// <summary>
    /// Loads the store's active policy and the model registry, then starts following the store's changes from
    /// the sequence read before them; call once at start-up (a bad active artifact fails it).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var from = _options.FollowChanges ? await _store.GetLatestChangeSequenceAsync(cancellationToken) : 0;
        await RefreshModelsAsync(cancellationToken);
        await RefreshSettingsAsync(cancellationToken);
        await RefreshTenantsAsync(cancellationToken);
        var active = await _store.GetActivePolicyAsync(cancellationToken);
        if (active is not null)
        {
            Install(LoadRuntime(active.Path, active.Version));
        }
        if (_options.FollowChanges && _follower is null)
        {
            _follower = new StoreChangeFollower(_store, from, ApplyChangesAsync, ResyncAsync, _log);
            _follower.Start();
        }
    }

    /// <summary>Applies other instances' changes: feedback invalidates the (tenant, user)'s embedding; an import resyncs; the rest re-read the store.</summary>
    private async Task ApplyChangesAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Any(c => c.Kind == StoreChangeKind.Import))
        {
            // An import may have added to any user's history and to the registry: re-read all of it.
            await ResyncAsync(cancellationToken);
            return;
        }
        foreach (var change in changes.Where(c => c.Kind == StoreChangeKind.Feedback))
        {
            // Respects the cache's generations: an embedding being computed from an older history read is not stored.
            _cache.Invalidate(TenantUser.FromChangeKey(change.Key));
        }
        foreach (var tenant in changes.Where(c => c.Kind == StoreChangeKind.Tenant).Select(c => c.Key).Distinct(StringComparer.Ordinal))
        {
            await RefreshTenantAsync(tenant, cancellationToken);
        }
        if (changes.Any(c => c.Kind == StoreChangeKind.Model))
        {
            await RefreshModelsAsync(cancellationToken);
        }
        if (changes.Any(c => c.Kind == StoreChangeKind.Setting))
        {
            await RefreshSettingsAsync(cancellationToken);
        }
        if (changes.Any(c => c.Kind == StoreChangeKind.Policy))
        {
            await FollowActivePolicyAsync(cancellationToken);
        }
    }

    /// <summary>Rebuilds what the follower keeps current when changes may have been missed: every embedding, the catalog, the settings, the tenants, the policy.</summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        _cache.InvalidateAll();
        await RefreshModelsAsync(cancellationToken);
        await RefreshSettingsAsync(cancellationToken);
        await RefreshTenantsAsync(cancellationToken);
        await FollowActivePolicyAsync(cancellationToken);
    }

    /// <summary>
    /// Serves the store's active policy when another instance (or the CLI, or the retraining worker) changed it:
    /// verified and loaded first, as <see cref="ActivatePolicyAsync"/> does, so a bad artifact is refused here and
    /// the policy serving now goes on serving.
    /// </summary>
    private async Task FollowActivePolicyAsync(CancellationToken cancellationToken)
    {
        await _policyChanges.WaitAsync(cancellationToken);
        try
        {
            var active = await _store.GetActivePolicyAsync(cancellationToken);
            var serving = ActiveVersion;
            if (active is null || active.Version == serving)
            {
                return;
            }
            PolicyRuntime runtime;
            try
            {
                runtime = LoadRuntime(active.Path, active.Version);
            }
            catch (ServiceException e)
            {
                Log($"policy {active.Version}, activated elsewhere, was refused here ({e.Message}); {serving ?? "no policy"} goes on serving");
                return;
            }
            Install(runtime);
            Log($"policy {active.Version}, activated elsewhere, now serves here (was {serving ?? "none"})");
        }
        finally
        {
            _policyChanges.Release();
        }
    }

    private void Log(string message)
    {
        try
        {
            _log?.WriteLine($"{DateTimeOffset.UtcNow:O} {message}");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A closed log must not stop the engine.
        }
    }

    public async Task<RouteResult> RouteAsync(string tenant, RouteCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ValidateTenant(tenant);
        ValidateId(command.UserId, "userId");
        ValidateText(command.Query, "query", _options.MaxQueryLength);
        if (command.ConversationId is not null)
        {
            ValidateId(command.ConversationId, "conversationId");
        }
        if (command.Candidates is { } requested && requested.Count > _options.MaxCandidates)
        {
            throw BadInput(Invariant($"candidates names {requested.Count} models; at most {_options.MaxCandidates} are allowed"));
        }
        using var lease = Lease();
        var policy = lease.Policy;
        var user = await EmbeddingAsync(policy, new TenantUser(tenant, command.UserId), cancellationToken);
        var models = _models;

        var estimates = Estimates(policy, models, user.Vector, command.Query);
        RouteDecision decision;
        try
        {
            decision = _rule.Decide(
                new RouteRequest
                {
                    Query = command.Query,
                    Candidates = command.Candidates,
                    CostWeight = command.CostWeight ?? DefaultCostWeightFor(tenant),
                    MaxCostUsd = command.MaxCostUsd,
                },
                estimates,
                new DecisionContext { PolicyVersion = policy.Version, UserKnown = user.Interactions > 0, UserInteractions = user.Interactions });
        }
        catch (RoutingException e)
        {
            throw new ServiceException(e.Code, UnknownModelHint(e.Message, command.Candidates, models, policy), e);
        }
        return new RouteResult
        {
            DecisionId = NewDecisionId(),
            Model = decision.Model,
            Ranking = decision.Ranking.Select(s => new ModelScoreView
            {
                Model = s.Model,
                Score = s.Score,
                Probability = s.Probability,
                ExpectedCostUsd = s.ExpectedCostUsd,
                Utility = s.Utility,
            }).ToList(),
            PolicyVersion = decision.PolicyVersion,
            UserKnown = decision.UserKnown,
            UserInteractions = decision.UserInteractions,
            FallbackFrom = decision.FallbackFrom,
            Explanation = decision.Explanation,
        };
    }

    public async Task<FeedbackResult> SubmitFeedbackAsync(string tenant, FeedbackCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ValidateTenant(tenant);
        ValidateFeedback(command);
        var record = new FeedbackRecord
        {
            Tenant = tenant,
            IdempotencyKey = command.IdempotencyKey,
            RequestFingerprint = Fingerprint(command),
            UserExternalId = command.UserId,
            Conversation = command.ConversationId,
            Step = command.Step,
            OccurredAt = _clock.GetUtcNow(),
            QueryText = command.Query,
            Responses = command.Responses.Select(r => new FeedbackResponse { Llm = r.Model, Rating = r.Rating, Text = r.Text, CostUsd = r.CostUsd }).ToList(),
            DecisionId = command.DecisionId,
        };
        FeedbackWriteResult written;
        try
        {
            written = await _store.RecordFeedbackAsync(record, cancellationToken);
        }
        catch (StoreConflictException e)
        {
            throw new ServiceException(ServiceErrorCode.Conflict, e.Message, e);
        }
        catch (StoreNotFoundException e)
        {
            throw new ServiceException(ServiceErrorCode.BadUserInput, e.Message, e);
        }
        if (!written.Duplicate)
        {
            // Committed: from here on the user's cached embedding is stale, so no route can use it. The fresh one is
            // computed in the background, off the acknowledgement's path; a route arriving before it is ready
            // computes it itself from the store, which already holds this feedback.
            _cache.Invalidate(record.User);
            _recomputes.Request(record.User);
        }
        return new FeedbackResult { Accepted = true, Duplicate = written.Duplicate, UserInteractions = written.UserInteractions };
    }

    public async Task<IReadOnlyList<ModelView>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        var models = await RefreshModelsAsync(cancellationToken);
        using var lease = TryLease();
        return models.All.Select(m => View(m, lease?.Policy)).ToList();
    }

    public async Task<ModelView> RegisterModelAsync(ModelCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ValidateId(command.Name, "name");
        if (command.Description is { Length: > 4096 })
        {
            throw BadInput("description is longer than 4096 characters");
        }
        ValidatePrice(command.InputPricePerMillion, "inputPricePerMillion");
        ValidatePrice(command.OutputPricePerMillion, "outputPricePerMillion");
        var registered = await _store.RegisterModelAsync(
            new ModelRegistration
            {
                Name = command.Name,
                Description = command.Description ?? "",
                InputPricePerMillion = command.InputPricePerMillion,
                OutputPricePerMillion = command.OutputPricePerMillion,
            },
            cancellationToken);
        await RefreshModelsAsync(cancellationToken);
        using var lease = TryLease();
        return View(registered, lease?.Policy);
    }

    public async Task<ModelView> SetModelAvailabilityAsync(string model, bool available, CancellationToken cancellationToken = default)
    {
        ValidateId(model, "model");
        var updated = await _store.SetModelAvailabilityAsync(model, available, cancellationToken)
            ?? throw new ServiceException(ServiceErrorCode.NotFound, $"model '{model}' is not registered");
        await RefreshModelsAsync(cancellationToken);
        using var lease = TryLease();
        return View(updated, lease?.Policy);
    }

    public async Task<UserView?> GetUserAsync(string tenant, string userId, CancellationToken cancellationToken = default)
    {
        ValidateTenant(tenant);
        ValidateId(userId, "id");
        var user = new TenantUser(tenant, userId);
        var summary = await _store.GetUserSummaryAsync(user, cancellationToken);
        if (summary is null)
        {
            return null;
        }
        double? norm = null;
        using var lease = TryLease();
        if (lease is not null)
        {
            var embedding = await EmbeddingAsync(lease.Policy, user, cancellationToken);
            norm = Math.Sqrt(embedding.Vector.Sum(v => (double)v * v));
        }
        return new UserView { Id = summary.ExternalId, Interactions = summary.Interactions, LastSeen = summary.LastSeen, EmbeddingNorm = norm };
    }

    public async Task<PolicyView?> GetActivePolicyAsync(CancellationToken cancellationToken = default)
    {
        var active = await _store.GetActivePolicyAsync(cancellationToken);
        return active is null ? null : View(active);
    }

    public async Task<IReadOnlyList<PolicyView>> GetPoliciesAsync(CancellationToken cancellationToken = default) =>
        (await _store.GetPoliciesAsync(cancellationToken)).Select(View).ToList();

    public async Task<PolicyView> ActivatePolicyAsync(string version, CancellationToken cancellationToken = default)
    {
        ValidateId(version, "version");
        await _policyChanges.WaitAsync(cancellationToken);
        try
        {
            var record = (await _store.GetPoliciesAsync(cancellationToken)).FirstOrDefault(p => p.Version == version)
                ?? throw new ServiceException(ServiceErrorCode.NotFound, $"policy '{version}' is not registered");
            // Verify and load before anything changes: a bad artifact leaves the active policy serving.
            var runtime = LoadRuntime(record.Path, record.Version);
            PolicyRecord activated;
            try
            {
                activated = await _store.ActivatePolicyAsync(version, cancellationToken);
            }
            catch
            {
                runtime.Dispose();
                throw;
            }
            Install(runtime);
            return View(activated);
        }
        finally
        {
            _policyChanges.Release();
        }
    }

    public async Task<PolicyView> RollbackPolicyAsync(CancellationToken cancellationToken = default)
    {
        await _policyChanges.WaitAsync(cancellationToken);
        try
        {
            var before = await _store.GetActivePolicyAsync(cancellationToken);
            PolicyRecord target;
            try
            {
                target = await _store.RollbackPolicyAsync(cancellationToken);
            }
            catch (StoreConflictException e)
            {
                throw new ServiceException(ServiceErrorCode.Conflict, e.Message, e);
            }
            PolicyRuntime runtime;
            try
            {
                runtime = LoadRuntime(target.Path, target.Version);
            }
            catch (ServiceException)
            {
                // The store already moved back; restore the version that was serving, which still is.
                if (before is not null)
                {
                    await _store.ActivatePolicyAsync(before.Version, CancellationToken.None);
                }
                throw;
            }
            Install(runtime);
            return View(target);
        }
        finally
        {
            _policyChanges.Release();
        }
    }

    public async Task<IReadOnlyList<TrainingRunView>> GetTrainingRunsAsync(int last, CancellationToken cancellationToken = default)
    {
        if (last is < 1 or > 1000)
        {
            throw BadInput(Invariant($"last must lie within [1, 1000], got {last}"));
        }
        return (await _store.GetTrainingRunsAsync(last, cancellationToken)).Select(View).ToList();
    }

    public Task<IReadOnlyList<TrainingRunTally>> GetTrainingRunTalliesAsync(CancellationToken cancellationToken = default) =>
        _store.GetTrainingRunTalliesAsync(cancellationToken);

    public async Task<TrainingRunView> StartTrainingAsync(TrainingCommand? command, CancellationToken cancellationToken = default)
    {
        if (command?.Config is { Length: > 1024 })
        {
            throw BadInput("config is longer than 1024 characters");
        }
        var config = JsonSerializer.Serialize(new { config = command?.Config, warmStart = command?.WarmStart });
        return View(await _store.QueueTrainingRunAsync(config, cancellationToken));
    }

    public async Task<Readiness> CheckReadinessAsync(CancellationToken cancellationToken = default)
    {
        var version = ActiveVersion;
        var storeAnswers = await _store.PingAsync(cancellationToken);
        var reason = version is null ? "no policy is active" : storeAnswers ? null : "the store does not answer";
        return new Readiness { Ready = reason is null, PolicyVersion = version, StoreAnswers = storeAnswers, Reason = reason };
    }

    /// <summary>Makes <paramref name="costWeight"/> the deployment's default (stored, so every instance and restart uses it).</summary>
    public async Task SetDefaultCostWeightAsync(double costWeight, CancellationToken cancellationToken = default)
    {
        if (!double.IsFinite(costWeight) || costWeight < 0)
        {
            throw BadInput(Invariant($"the default costWeight must be a finite number >= 0, got {costWeight}"));
        }
        await _store.SetSettingAsync(StoreSettings.DefaultCostWeight, costWeight.ToString("R", CultureInfo.InvariantCulture), cancellationToken);
        Volatile.Write(ref _defaultCostWeight, costWeight);
    }

    /// <summary>
    /// Makes <paramref name="costWeight"/> the default of <paramref name="tenant"/>'s routes (stored, so every instance
    /// and restart uses it), or, with null, clears it so they use the deployment's. An unknown tenant is
    /// <see cref="ServiceErrorCode.NotFound"/>.
    /// </summary>
    public async Task SetTenantDefaultCostWeightAsync(string tenant, double? costWeight, CancellationToken cancellationToken = default)
    {
        ValidateTenant(tenant);
        if (costWeight is { } weight && (!double.IsFinite(weight) || weight < 0))
        {
            throw BadInput(Invariant($"the default costWeight must be a finite number >= 0, got {weight}"));
        }
        try
        {
            await UnderTenantChangesAsync(async () => Apply(await _store.SetTenantCostWeightAsync(tenant, costWeight, cancellationToken)), cancellationToken);
        }
        catch (StoreNotFoundException e)
        {
            throw new ServiceException(ServiceErrorCode.NotFound, e.Message, e);
        }
    }

    /// <summary>Re-reads every tenant's default costWeight (at start and after the change feed may have missed changes).</summary>
    private Task RefreshTenantsAsync(CancellationToken cancellationToken) =>
        UnderTenantChangesAsync(async () =>
        {
            var tenants = await _store.GetTenantsAsync(cancellationToken);
            foreach (var tenant in tenants)
            {
                Apply(tenant);
            }
            var known = tenants.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _tenantCostWeights.Keys.Where(k => !known.Contains(k)))
            {
                _tenantCostWeights.TryRemove(gone, out _);
            }
        }, cancellationToken);

    /// <summary>Re-reads one tenant's default costWeight (another instance or the CLI created the tenant or changed it).</summary>
    private Task RefreshTenantAsync(string tenant, CancellationToken cancellationToken) =>
        UnderTenantChangesAsync(async () =>
        {
            if (await _store.GetTenantAsync(tenant, cancellationToken) is { } record)
            {
                Apply(record);
            }
            else
            {
                _tenantCostWeights.TryRemove(tenant, out _);
            }
        }, cancellationToken);

    /// <summary>Runs a store read or write and the cost-weight update it leads to holding _tenantChanges, so they land in store order.</summary>
    private async Task UnderTenantChangesAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        await _tenantChanges.WaitAsync(cancellationToken);
        try
        {
            await work();
        }
        finally
        {
            _tenantChanges.Release();
        }
    }

    private void Apply(TenantRecord tenant)
    {
        if (tenant.DefaultCostWeight is { } weight)
        {
            _tenantCostWeights[tenant.Id] = weight;
        }
        else
        {
            _tenantCostWeights.TryRemove(tenant.Id, out _);
        }
    }

    /// <summary>
    /// Uses <paramref name="costWeight"/> as this process's deployment default without storing it (a command-line
    /// override); tenants with their own default keep using it.
    /// </summary>
    public void OverrideDefaultCostWeight(double costWeight)
    {
        if (!double.IsFinite(costWeight) || costWeight < 0)
        {
            throw BadInput(Invariant($"the default costWeight must be a finite number >= 0, got {costWeight}"));
        }
        Volatile.Write(ref _defaultCostWeight, costWeight);
        _costWeightOverridden = true;
    }

    /// <summary>Re-reads the store's settings (the calibrated default costWeight, unless this process overrides it).</summary>
    public async Task RefreshSettingsAsync(CancellationToken cancellationToken = default)
    {
        if (_costWeightOverridden)
        {
            return;
        }
        var stored = await _store.GetSettingAsync(StoreSettings.DefaultCostWeight, cancellationToken);
        if (stored is not null && double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) && double.IsFinite(weight) && weight >= 0)
        {
            Volatile.Write(ref _defaultCostWeight, weight);
        }
    }

    /// <summary>
    /// RouteLLM's threshold calibration for this deployment: the costWeight at which <paramref name="targetShare"/>
    /// of <paramref name="queries"/> would be routed to the expensive models, for a user with no history (the
    /// policy's cold-start prior stands for the population). Expensive models are those named, or those whose
    /// mean expected cost per query over <paramref name="queries"/> exceeds <paramref name="aboveUsd"/>.
    /// </summary>
    public CalibrationResult Calibrate(IReadOnlyList<string> queries, double targetShare, IReadOnlyList<string>? expensive, double? aboveUsd)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count == 0)
        {
            throw BadInput("no calibration queries");
        }
        if (!double.IsFinite(targetShare) || targetShare is < 0 or > 1)
        {
            throw BadInput(Invariant($"the target share must lie within [0, 1], got {targetShare}"));
        }
        if ((expensive is null) == (aboveUsd is null))
        {
            throw BadInput("name the expensive models or give a price threshold, not both and not neither");
        }
        using var lease = Lease();
        var policy = lease.Policy;
        var models = _models;
        var scoreable = models.ScoreableBy(policy);
        var prior = policy.ColdStartEmbedding.ToArray();
        var calibration = new List<CalibrationQuery>(queries.Count);
        var meanCost = scoreable.Names.ToDictionary(n => n, _ => 0.0, StringComparer.Ordinal);
        foreach (var text in queries)
        {
            var candidates = Estimates(policy, models, prior, text);
            foreach (var candidate in candidates)
            {
                meanCost[candidate.Model] += (candidate.ExpectedCostUsd ?? 0) / queries.Count;
            }
            calibration.Add(new CalibrationQuery { Query = text, Candidates = candidates });
        }
        IReadOnlySet<string> expensiveSet;
        if (expensive is not null)
        {
            var unknown = expensive.Where(m => !scoreable.Contains(m)).ToList();
            if (unknown.Count > 0)
            {
                throw BadInput($"unknown or unscoreable model(s): {string.Join(", ", unknown)}");
            }
            expensiveSet = expensive.ToHashSet(StringComparer.Ordinal);
        }
        else
        {
            expensiveSet = CostWeightCalibrator.ModelsPricedAbove(meanCost, aboveUsd!.Value);
        }
        if (expensiveSet.Count == 0)
        {
            throw BadInput("no model counts as expensive under that threshold");
        }
        return CostWeightCalibrator.Calibrate(_rule, calibration, expensiveSet, targetShare);
    }

    /// <summary>Stops the change follower first (it may be swapping a policy), then releases the policy.</summary>
    public void Dispose()
    {
        _follower?.Dispose();
        Interlocked.Exchange(ref _policy, null)?.Dispose();
        _policyChanges.Dispose();
        _tenantChanges.Dispose();
    }

    /// <summary>Recomputes a user's embedding under the active policy, for the cache; failures are left to the next route.</summary>
    private async Task RecomputeAsync(TenantUser user)
    {
        try
        {
            using var lease = TryLease();
            if (lease is null)
            {
                return;
            }
            await EmbeddingAsync(lease.Policy, user, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing is lost: the embedding stays invalidated and the next route for this user recomputes it.
        }
    }

    /// <summary>The user's embedding under <paramref name="policy"/>: cached, or computed from the latest history window.</summary>
    private async Task<UserEmbedding> EmbeddingAsync(PolicyRuntime policy, TenantUser user, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(user, policy.Version, out var cached))
        {
            return cached;
        }
        var generation = _cache.Generation(user);
        var history = await _store.GetUserHistoryAsync(user, policy.HistoryWindow, cancellationToken);
        var vector = policy.EmbedUser(history);
        var embedding = new UserEmbedding(policy.Version, vector, history.Count, history.Count > 0 ? history[0].Timestamp : null);
        _cache.TryStore(user, generation, embedding);
        return embedding;
    }

    private PolicyRuntime LoadRuntime(string path, string version)
    {
        try
        {
            var runtime = PolicyRuntime.Load(path);
            if (runtime.Version != version)
            {
                runtime.Dispose();
                throw new ServiceException(ServiceErrorCode.PolicyInvalid, $"policy folder '{path}' holds version '{runtime.Version}', not '{version}'");
            }
            return runtime;
        }
        catch (PolicyArtifactException e)
        {
            throw new ServiceException(ServiceErrorCode.PolicyInvalid, $"policy '{version}' was not activated: {e.Message}", e);
        }
    }

    private void Install(PolicyRuntime runtime)
    {
        var holder = Volatile.Read(ref _policy);
        if (holder is null)
        {
            Volatile.Write(ref _policy, new ActivePolicyHolder<PolicyRuntime>(runtime));
        }
        else
        {
            holder.Swap(runtime);
        }
        // Entries carry their policy version, so stale ones are never served; drop them to free memory.
        _cache.Clear();
    }

    private async Task<ModelCatalog> RefreshModelsAsync(CancellationToken cancellationToken)
    {
        var models = new ModelCatalog(await _store.GetModelsAsync(cancellationToken));
        _models = models;
        return models;
    }

    /// <summary>Every registered model <paramref name="policy"/> can score, with its score for (user, query), expected cost and availability.</summary>
    private static CandidateEstimate[] Estimates(PolicyRuntime policy, ModelCatalog models, ReadOnlySpan<float> user, string queryText)
    {
        var scoreable = models.ScoreableBy(policy);
        var scores = policy.Score(user, policy.EncodeQuery(queryText), scoreable.Names);
        var costs = models.CostEstimatorFor(policy);
        var estimates = new CandidateEstimate[scores.Length];
        for (var i = 0; i < estimates.Length; i++)
        {
            var name = scoreable.Names[i];
            estimates[i] = new CandidateEstimate
            {
                Model = name,
                Score = scores[i],
                ExpectedCostUsd = costs.ExpectedCostUsd(name, queryText),
                Available = scoreable.Available[i],
            };
        }
        return estimates;
    }

    /// <summary>A lease on the active policy; <see cref="ServiceErrorCode.Unavailable"/> when none is loaded yet.</summary>
    private PolicyLease<PolicyRuntime> Lease() =>
        TryLease() ?? throw new ServiceException(ServiceErrorCode.Unavailable, "no policy is active yet");

    /// <summary>A lease on the active policy, or null when none is loaded yet.</summary>
    private PolicyLease<PolicyRuntime>? TryLease() => Volatile.Read(ref _policy)?.Acquire();

    private static string UnknownModelHint(string message, IReadOnlyList<string>? requested, ModelCatalog models, PolicyRuntime policy)
    {
        if (requested is null)
        {
            return message;
        }
        var unscoreable = requested.Where(r => models.IsRegistered(r) && !policy.Knows(r)).ToList();
        return unscoreable.Count == 0
            ? message
            : $"{message} ({string.Join(", ", unscoreable)} registered, but the active policy has no learned vector for it; retrain to include it)";
    }

    private static void ValidateTenant(string? tenant)
    {
        if (!Tenants.IsValid(tenant))
        {
            throw BadInput($"tenant '{tenant}' is not a valid tenant id: use 1 to {Tenants.MaxLength} letters, digits, '-', '_' or '.'");
        }
    }

    private void ValidateFeedback(FeedbackCommand command)
    {
        ValidateId(command.IdempotencyKey, "idempotencyKey");
        ValidateId(command.UserId, "userId");
        if (command.ConversationId is not null)
        {
            ValidateId(command.ConversationId, "conversationId");
        }
        if (command.DecisionId is not null)
        {
            ValidateId(command.DecisionId, "decisionId");
        }
        if (command.Step < 0 || command.Step > _options.MaxStep)
        {
            throw BadInput(Invariant($"step must lie within [0, {_options.MaxStep}], got {command.Step}"));
        }
        ValidateText(command.Query, "query", _options.MaxQueryLength);
        if (command.Responses is null || command.Responses.Count == 0)
        {
            throw BadInput("responses must rate at least one response");
        }
        if (command.Responses.Count > _options.MaxCandidates)
        {
            throw BadInput(Invariant($"responses rates {command.Responses.Count} responses; at most {_options.MaxCandidates} are allowed"));
        }
        var scale = RatingScaleInUse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < command.Responses.Count; i++)
        {
            var response = command.Responses[i];
            ValidateId(response.Model, Invariant($"responses[{i}].model"));
            if (!seen.Add(response.Model))
            {
                throw BadInput($"responses rate model '{response.Model}' twice");
            }
            if (!scale.Contains(response.Rating))
            {
                throw BadInput(Invariant($"responses[{i}].rating {response.Rating} lies outside the rating scale [{scale.Min}, {scale.Max}]"));
            }
            if (response.CostUsd is { } cost && (!double.IsFinite(cost) || cost < 0))
            {
                throw BadInput(Invariant($"responses[{i}].costUsd must be a finite number >= 0, got {cost}"));
            }
            if (response.Text is { } text && text.Length > _options.MaxResponseTextLength)
            {
                throw BadInput(Invariant($"responses[{i}].text is longer than {_options.MaxResponseTextLength} characters"));
            }
            if (response.Text is { } shown)
            {
                ValidateStorable(shown, Invariant($"responses[{i}].text"));
            }
        }
        // Unknown models are refused by the store inside the write's transaction (another instance may have
        // registered a model this one has not seen yet).
    }

    /// <summary>The active policy's declared scale, or the default 1..10 when none is loaded.</summary>
    private RatingScale RatingScaleInUse()
    {
        using var lease = TryLease();
        return lease?.Policy.Scale ?? RatingScale.Default;
    }

    private void ValidateId(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw BadInput($"{field} must not be empty");
        }
        if (value.Length > _options.MaxIdLength)
        {
            throw BadInput(Invariant($"{field} is longer than {_options.MaxIdLength} characters"));
        }
        ValidateStorable(value, field);
    }

    private static void ValidateText(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw BadInput($"{field} must not be empty");
        }
        if (value.Length > maxLength)
        {
            throw BadInput(Invariant($"{field} is longer than {maxLength} characters"));
        }
        ValidateStorable(value, field);
    }

    /// <summary>Text no store can hold is the caller's error, refused here for every caller (API, CLI) alike.</summary>
    private static void ValidateStorable(string value, string field)
    {
        if (!StorableText.IsStorable(value))
        {
            throw BadInput($"{field} {StorableText.Problem}");
        }
    }

    private static void ValidatePrice(double? price, string field)
    {
        if (price is { } p && (!double.IsFinite(p) || p < 0))
        {
            throw BadInput(Invariant($"{field} must be a finite number >= 0, got {p}"));
        }
    }

    /// <summary>SHA-256 over a canonical JSON of the feedback (the idempotency key excluded): a replay must match it exactly.</summary>
    public static string Fingerprint(FeedbackCommand command)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new
        {
            u = command.UserId,
            c = command.ConversationId,
            s = command.Step,
            q = command.Query,
            r = command.Responses.Select(r => new { m = r.Model, r = r.Rating, t = r.Text, c = r.CostUsd }),
            d = command.DecisionId,
        });
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    private static string NewDecisionId() => "d_" + Guid.CreateVersion7().ToString("N");

    private static ServiceException BadInput(string message) => new(ServiceErrorCode.BadUserInput, message);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static ModelView View(RegisteredModel model, PolicyRuntime? policy) => new()
    {
        Name = model.Name,
        Description = model.Description,
        InputPricePerMillion = model.InputPricePerMillion,
        OutputPricePerMillion = model.OutputPricePerMillion,
        Available = model.Available,
        KnownToPolicy = policy?.Knows(model.Name) ?? false,
    };

    private static PolicyView View(PolicyRecord record)
    {
        var metrics = record.MetricsJson is null
            ? new Dictionary<string, double>()
            : JsonSerializer.Deserialize<Dictionary<string, double>>(record.MetricsJson) ?? [];
        string snapshot;
        using (var manifest = JsonDocument.Parse(record.ManifestJson))
        {
            snapshot = manifest.RootElement.TryGetProperty("dataSnapshot", out var s) ? s.GetString() ?? "" : "";
        }
        return new PolicyView
        {
            Version = record.Version,
            Created = record.Created,
            Active = record.Active,
            ActivatedAt = record.ActivatedAt,
            DataSnapshot = snapshot,
            Metrics = metrics,
        };
    }

    private static TrainingRunView View(TrainingRunRecord run) => new()
    {
        Id = run.Id,
        Status = run.Status,
        Progress = run.Progress,
        Created = run.Created,
        Started = run.Started,
        Finished = run.Finished,
        Metrics = run.MetricsJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, double>>(run.MetricsJson),
        PolicyVersion = run.PolicyVersion,
        Error = run.Error,
    };
}
