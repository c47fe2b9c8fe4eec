using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;

namespace GraphRouter.Evaluation.Splits;

/// <summary>
/// A leak-free split of a preference dataset by prompt and by user:
/// <list type="bullet">
/// <item>prompts are cut into train / validation / test; training never sees a validation or test prompt;</item>
/// <item>users are cut into known (trained on), validation-new and test-new (never trained on);</item>
/// <item>known users' latest interactions are held out: training uses only what comes before;</item>
/// <item>targets are scored only on pairs whose ratings no history (and no training step) saw.</item>
/// </list>
/// </summary>
public sealed class EvaluationSplit
{
    private EvaluationSplit(
        PreferenceDataset data, SplitConfig config,
        IReadOnlySet<string> trainQueries, IReadOnlySet<string> validationQueries, IReadOnlySet<string> testQueries,
        IReadOnlyList<string> knownUsers, IReadOnlyList<string> validationUsers, IReadOnlyList<string> newUsers,
        IReadOnlyList<Interaction> train, IReadOnlyList<UserCase> known, IReadOnlyList<UserCase> validation, IReadOnlyList<UserCase> fresh,
        IReadOnlyList<UserCase> knownValidation)
    {
        Data = data;
        Config = config;
        TrainQueries = trainQueries;
        ValidationQueries = validationQueries;
        TestQueries = testQueries;
        KnownUsers = knownUsers;
        ValidationUsers = validationUsers;
        NewUsers = newUsers;
        Train = train;
        KnownUserCases = known;
        ValidationUserCases = validation;
        NewUserCases = fresh;
        KnownUserValidationCases = knownValidation;
    }

    public PreferenceDataset Data { get; }
    public SplitConfig Config { get; }
    public IReadOnlySet<string> TrainQueries { get; }
    public IReadOnlySet<string> ValidationQueries { get; }
    public IReadOnlySet<string> TestQueries { get; }
    public IReadOnlyList<string> KnownUsers { get; }
    public IReadOnlyList<string> ValidationUsers { get; }
    public IReadOnlyList<string> NewUsers { get; }

    /// <summary>What a router may train on: known users' interactions before their hold-out, on training prompts only, per user in time order.</summary>
    public IReadOnlyList<Interaction> Train { get; }

    /// <summary>Known users: history = every interaction before the hold-out; targets = held-out interactions on test prompts.</summary>
    public IReadOnlyList<UserCase> KnownUserCases { get; }

    /// <summary>Validation users (never trained on): full history up to <see cref="SplitConfig.FewShotTargetStart"/>; targets on validation prompts after it.</summary>
    public IReadOnlyList<UserCase> ValidationUserCases { get; }

    /// <summary>New users (never trained on): history = their first <see cref="SplitConfig.FewShotTargetStart"/> interactions; targets = later ones on test prompts. Use <see cref="UserCase.WithHistory"/> for the few-shot curve.</summary>
    public IReadOnlyList<UserCase> NewUserCases { get; }

    /// <summary>
    /// Known users again, for tuning only: the same history as <see cref="KnownUserCases"/>, targets = their
    /// held-out interactions on validation prompts (which training never sees). Together with
    /// <see cref="ValidationUserCases"/> this gives model selection several times more pairs than the
    /// validation users alone, without touching a test prompt or a test user.
    /// </summary>
    public IReadOnlyList<UserCase> KnownUserValidationCases { get; }

    public static EvaluationSplit Create(PreferenceDataset data, SplitConfig config)
    {
        var queryBucket = data.Queries.ToDictionary(q => q.Id, q => StableUnit(config.Seed, "query", q.Id), StringComparer.Ordinal);
        var testQueries = data.Queries.Where(q => queryBucket[q.Id] < config.TestQueryFraction).Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        var validationQueries = data.Queries
            .Where(q => queryBucket[q.Id] >= config.TestQueryFraction && queryBucket[q.Id] < config.TestQueryFraction + config.ValidationQueryFraction)
            .Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        var trainQueries = data.Queries.Select(q => q.Id).Where(id => !testQueries.Contains(id) && !validationQueries.Contains(id)).ToHashSet(StringComparer.Ordinal);

        var knownUsers = new List<string>();
        var validationUsers = new List<string>();
        var newUsers = new List<string>();
        var train = new List<Interaction>();
        var known = new List<UserCase>();
        var validation = new List<UserCase>();
        var fresh = new List<UserCase>();
        var knownValidation = new List<UserCase>();
        foreach (var group in data.ByUser())
        {
            var all = group.ToList();
            var u = StableUnit(config.Seed, "user", group.Key);
            if (u < config.NewUserFraction)
            {
                newUsers.Add(group.Key);
                fresh.Add(FewShotCase(group.Key, all, testQueries, config.FewShotTargetStart));
            }
            else if (u < config.NewUserFraction + config.ValidationUserFraction)
            {
                validationUsers.Add(group.Key);
                validation.Add(FewShotCase(group.Key, all, validationQueries, config.FewShotTargetStart));
            }
            else
            {
                knownUsers.Add(group.Key);
                var cutoff = all.Count - (int)Math.Round(all.Count * config.KnownUserHoldoutFraction);
                var history = all.Take(cutoff).ToList();
                train.AddRange(history.Where(i => trainQueries.Contains(i.QueryId)));
                known.Add(new UserCase(group.Key, history, all.Skip(cutoff).Where(i => testQueries.Contains(i.QueryId)).ToList()));
                knownValidation.Add(new UserCase(group.Key, history, all.Skip(cutoff).Where(i => validationQueries.Contains(i.QueryId)).ToList()));
            }
        }
        return new EvaluationSplit(data, config, trainQueries, validationQueries, testQueries,
            knownUsers, validationUsers, newUsers, train, known, validation, fresh, knownValidation);
    }

    private static UserCase FewShotCase(string user, List<Interaction> all, HashSet<string> targetQueries, int start) =>
        new(user, all.Take(start).ToList(), all.Skip(start).Where(i => targetQueries.Contains(i.QueryId)).ToList());

    /// <summary>A deterministic number in [0, 1) for (seed, kind, id): FNV-1a, stable across runs and platforms.</summary>
    public static double StableUnit(int seed, string kind, string id)
    {
        var hash = 14695981039346656037UL ^ (ulong)(uint)seed;
        foreach (var c in kind + "\u0001" + id)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }
}
