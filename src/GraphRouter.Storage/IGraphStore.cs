using GraphRouter.Core.Datasets;
using GraphRouter.Storage.ApiKeys;
using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.History;
using GraphRouter.Storage.Import;
using GraphRouter.Storage.Policies;
using GraphRouter.Storage.Registry;
using GraphRouter.Storage.Snapshots;
using GraphRouter.Storage.Tenancy;
using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Storage;

/// <summary>
/// The graph and the service state beside it, behind one interface per backend (SQLite embedded,
/// PostgreSQL shared; a graph database could implement it later). Every write is one transaction: it
/// is committed whole, or it fails and changes nothing. Failures the caller can act on are
/// <see cref="StoreConflictException"/> and <see cref="StoreNotFoundException"/>; invalid arguments
/// are <see cref="ArgumentException"/>s thrown before anything is written.
/// <para>
/// Users belong to a tenant (<see cref="Tenants"/>, migration 0008): every read or write of a user names it as a
/// <see cref="TenantUser"/> (or, for feedback, <see cref="FeedbackRecord.Tenant"/>), and nothing addressed to one
/// tenant reads or changes another tenant's users, interactions or feedback keys. Models, policies, training runs,
/// settings and the Query and Response nodes are the deployment's, shared by every tenant.
/// </para>
/// </summary>
public interface IGraphStore : IAsyncDisposable
{
    /// <summary>Where this store lives.</summary>
    StoreLocation Location { get; }

    /// <summary>Applies the pending versioned migrations of graph-schema/, each in its own transaction; returns the versions applied (none when up to date).</summary>
    Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports a validated preference dataset in one transaction, its users into the <see cref="Tenants.Default"/>
    /// tenant. Idempotent by natural keys: what is already stored is kept as it is, and the result counts only what
    /// was added.
    /// </summary>
    Task<ImportResult> ImportAsync(PreferenceDataset dataset, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports a quality table in one transaction: its catalog LLMs (with prices) into the model registry,
    /// its prompts as <c>Query</c> nodes and each measured quality as a <c>Response</c> with a score and no text.
    /// </summary>
    Task<ImportResult> ImportQualityTableAsync(QualityTable table, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Counts per node type and per edge type (as graph-schema/schema.json names them), and interactions.</summary>
    Task<GraphStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A user's latest <paramref name="limit"/> interactions, newest first, each with its query and rated responses;
    /// empty for a user (or tenant) the store does not hold. An invalid tenant id is an <see cref="ArgumentException"/>.
    /// </summary>
    Task<IReadOnlyList<HistoryEntry>> GetUserHistoryAsync(TenantUser user, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records one feedback in one durable transaction, idempotent by its key within its tenant: a key the tenant
    /// already recorded with the same fingerprint answers <c>Duplicate</c> and writes nothing; with another
    /// fingerprint it is a <see cref="StoreConflictException"/>, as is a (user, conversation, step) that already
    /// holds an interaction. The same key recorded by another tenant plays no part. Every LLM must be registered,
    /// else a <see cref="StoreNotFoundException"/> naming the missing ones; an unknown tenant is one too. Otherwise
    /// creates the user (in the feedback's tenant) if new, the Query node of the text
    /// (<see cref="FeedbackConventions.QueryExternalId"/>) and each missing response, then the interaction,
    /// its turns (in the given order), their packed copy, the links to the neighbouring steps of the
    /// conversation, and the key with its fingerprint and decision id. Safe under concurrent writers,
    /// the same key included: exactly one of them stores it, the others answer <c>Duplicate</c>. When the
    /// call returns, the feedback is committed and the user's history shows it first.
    /// </summary>
    Task<FeedbackWriteResult> RecordFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken = default);

    /// <summary>The model registry, by name (ordinal).</summary>
    Task<IReadOnlyList<RegisteredModel>> GetModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts a new model (available), or updates the description, vendor and prices of a registered one (see <see cref="ModelRegistration"/>).</summary>
    Task<RegisteredModel> RegisterModelAsync(ModelRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>Marks a model available or not; null when no model has that name.</summary>
    Task<RegisteredModel?> SetModelAvailabilityAsync(string name, bool available, CancellationToken cancellationToken = default);

    /// <summary>A user's interaction count and latest interaction time; null for a user the tenant has never had.</summary>
    Task<UserSummary?> GetUserSummaryAsync(TenantUser user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a tenant (an id valid by <see cref="Tenants.IsValid"/>, else an <see cref="ArgumentException"/>) with an
    /// optional default costWeight (finite, &gt;= 0) and logs the change. An id that exists is a
    /// <see cref="StoreConflictException"/>; nothing is written in either case.
    /// </summary>
    Task<TenantRecord> CreateTenantAsync(string tenant, double? defaultCostWeight = null, CancellationToken cancellationToken = default);

    /// <summary>Every tenant, <see cref="Tenants.Default"/> included, by id (ordinal).</summary>
    Task<IReadOnlyList<TenantRecord>> GetTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>One tenant; null when none has that id.</summary>
    Task<TenantRecord?> GetTenantAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a tenant's default costWeight (finite, &gt;= 0), or clears it with null (its routes then use the
    /// deployment's), and logs the change so that every instance follows. An unknown tenant is a
    /// <see cref="StoreNotFoundException"/>; nothing is written.
    /// </summary>
    Task<TenantRecord> SetTenantCostWeightAsync(string tenant, double? defaultCostWeight, CancellationToken cancellationToken = default);

    /// <summary>Registers a policy version (inactive). Idempotent for an equal manifest; another manifest under the same version is a <see cref="StoreConflictException"/>.</summary>
    Task<PolicyRecord> RegisterPolicyAsync(PolicyRegistration policy, CancellationToken cancellationToken = default);

    /// <summary>Every registered policy, newest first (by creation time, then version).</summary>
    Task<IReadOnlyList<PolicyRecord>> GetPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>The active policy; null when none is.</summary>
    Task<PolicyRecord?> GetActivePolicyAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a registered version the active one in one transaction (no instant has two or none where one
    /// was) and logs the activation; activating the active version changes nothing. An unregistered version
    /// is a <see cref="StoreNotFoundException"/>.
    /// </summary>
    Task<PolicyRecord> ActivatePolicyAsync(string version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Undoes the current activation: re-activates the version that was active before it. The activation
    /// log is a stack, so repeated rollbacks walk further back; with nothing before the current activation
    /// it is a <see cref="StoreConflictException"/>.
    /// </summary>
    Task<PolicyRecord> RollbackPolicyAsync(CancellationToken cancellationToken = default);

    /// <summary>Queues a training run: status QUEUED, a new unique id, the next queue position.</summary>
    Task<TrainingRunRecord> QueueTrainingRunAsync(string configJson, CancellationToken cancellationToken = default);

    /// <summary>The latest <paramref name="last"/> training runs, newest first.</summary>
    Task<IReadOnlyList<TrainingRunRecord>> GetTrainingRunsAsync(int last, CancellationToken cancellationToken = default);

    /// <summary>One training run by id; null when no run has it.</summary>
    Task<TrainingRunRecord?> GetTrainingRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// One <see cref="TrainingRunTally"/> per status that has runs, in status order: counts and total durations
    /// read in one aggregate query, for the service's metrics.
    /// </summary>
    Task<IReadOnlyList<TrainingRunTally>> GetTrainingRunTalliesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the oldest QUEUED run for <paramref name="workerId"/>: it becomes RUNNING, owned by the worker,
    /// with Started = Heartbeat = now, in one atomic step, so two workers (threads, instances or processes)
    /// never claim the same run. Null when none is queued.
    /// </summary>
    Task<TrainingRunRecord?> ClaimTrainingRunAsync(string workerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a running run's progress (0 to 1; outside is an <see cref="ArgumentException"/>), its current
    /// stage message and, when given, its metrics JSON object (null keeps the last), and refreshes its
    /// Heartbeat. A <see cref="StoreNotFoundException"/> when no run has the id; a
    /// <see cref="StoreConflictException"/> when it is not RUNNING or another worker owns it.
    /// </summary>
    Task<TrainingRunRecord> ReportTrainingRunProgressAsync(string runId, string workerId, double progress, string? message, string? metricsJson, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a RUNNING run that <paramref name="workerId"/> owns: the outcome's status (SUCCEEDED, REJECTED
    /// or FAILED), policy version (registered, else a <see cref="StoreNotFoundException"/>), error and
    /// metrics (null keeps the last reported), Finished = now, and progress 1 when it succeeded or was
    /// rejected. The same exceptions as <see cref="ReportTrainingRunProgressAsync"/>.
    /// </summary>
    Task<TrainingRunRecord> FinishTrainingRunAsync(string runId, string workerId, TrainingRunOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fails every RUNNING run whose Heartbeat is older than now minus <paramref name="heartbeatTimeout"/>
    /// (its worker died or hangs): status FAILED, Finished = now, Error "worker &lt;id&gt; stopped: no
    /// heartbeat since &lt;time&gt;". Returns them, oldest first; its worker's later reports are conflicts.
    /// </summary>
    Task<IReadOnlyList<TrainingRunRecord>> FailStaleTrainingRunsAsync(TimeSpan heartbeatTimeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads every interaction (imported and from feedback) of every tenant, with the store's queries, LLMs and
    /// outcomes, as a <see cref="Core.Datasets.PreferenceDataset"/> in one consistent read (users named as
    /// <see cref="StoreSnapshot.Dataset"/> says) (SQLite: one read
    /// transaction; PostgreSQL: REPEATABLE READ, READ ONLY), with the feedback watermark and count of
    /// that same read. Writers are not blocked meanwhile; what they commit after the read began is absent.
    /// </summary>
    Task<StoreSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// True when the store answers a trivial query on its schema (for /readyz); false, never an exception,
    /// when it does not. Cancellation by <paramref name="cancellationToken"/> is still thrown.
    /// </summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);

    /// <summary>A deployment setting's JSON value (see <see cref="StoreSettings"/>), or null when never set.</summary>
    Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Sets a deployment setting to a JSON value, shared by every instance on this store.</summary>
    Task SetSettingAsync(string key, string valueJson, CancellationToken cancellationToken = default);

    /// <summary>A random id of this store object; written as <see cref="StoreChange.Origin"/> on the changes it makes, so an instance can skip its own.</summary>
    string InstanceId { get; }

    /// <summary>The sequence of the latest change in the change log; 0 when there is none.</summary>
    Task<long> GetLatestChangeSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> (1..10,000) changes with a sequence above <paramref name="afterSequence"/>, in
    /// sequence order. Every feedback, policy activation or rollback, model registration or availability change,
    /// setting, tenant creation, tenant costWeight change and import that added anything writes one in its own transaction, so a change is
    /// listed exactly when it is committed. On
    /// PostgreSQL concurrent transactions can commit out of sequence order: a lower sequence may appear after a
    /// higher one was read, so a follower that sees a gap reads it again for a while. Old changes are pruned
    /// (<see cref="GraphStoreOptions.ChangeLogRetention"/>).
    /// </summary>
    Task<IReadOnlyList<StoreChange>> GetChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns when a change after <paramref name="afterSequence"/> may exist, or when <paramref name="maxWait"/>
    /// elapsed (PostgreSQL: LISTEN/NOTIFY on a dedicated connection, polling while it reconnects; SQLite: cheap
    /// polling of the file, so commits of other processes are seen). Never throws on timeout; the caller reads
    /// <see cref="GetChangesAsync"/> to see what, if anything, changed.
    /// </summary>
    Task WaitForChangesAsync(long afterSequence, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new API key (migration 0007): a new id, the role, the tenant, the SHA-256 of its text and the creation
    /// time. A name held by a key not revoked (in any tenant) is a <see cref="StoreConflictException"/>; a tenant the
    /// store does not hold a <see cref="StoreNotFoundException"/>; an invalid registration an
    /// <see cref="ArgumentException"/>. Nothing is written in any of these cases.
    /// </summary>
    Task<ApiKeyRecord> CreateApiKeyAsync(ApiKeyRegistration key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="key"/> only if the store has never held an API key (revoked ones count), atomically:
    /// of several instances starting on one fresh store, exactly one creates it. Null when a key already existed.
    /// </summary>
    Task<ApiKeyRecord?> CreateFirstApiKeyAsync(ApiKeyRegistration key, CancellationToken cancellationToken = default);

    /// <summary>Every API key, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> GetApiKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>The key whose text hashes to <paramref name="secretHash"/> (64 lowercase hex digits), revoked or not; null when none does.</summary>
    Task<ApiKeyRecord?> FindApiKeyAsync(string secretHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes the key with this id, else the key not revoked with this name. A key already revoked is returned
    /// as it is (its first revocation time kept); a name or id no key has is a <see cref="StoreNotFoundException"/>.
    /// </summary>
    Task<ApiKeyRecord> RevokeApiKeyAsync(string idOrName, CancellationToken cancellationToken = default);
}
