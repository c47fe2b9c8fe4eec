using GraphRouter.Core.Domain;
using GraphRouter.Routing.Costs;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage;
using GraphRouter.Storage.Feedback;
using GraphRouter.Storage.Policies;
using GraphRouter.Storage.Registry;
using GraphRouter.Storage.TrainingRuns;

namespace GraphRouter.Serving.Engine;

/// <summary>
/// An immutable snapshot of the model registry (registered prices first, the operator's declaration; then the
/// policy's fitted per-model cost model), and what the route path derives from it per policy (the
/// registered models the policy can score, in registry order, and the cost estimator), computed once per
/// (registry snapshot, policy) rather than per request.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, RegisteredModel> _byName;
    private PerPolicy? _derived;

    public ModelCatalog(IReadOnlyList<RegisteredModel> models)
    {
        All = models;
        _byName = models.ToDictionary(m => m.Name, StringComparer.Ordinal);
    }

    public static ModelCatalog Empty { get; } = new([]);

    public IReadOnlyList<RegisteredModel> All { get; }

    public bool IsRegistered(string name) => _byName.ContainsKey(name);

    public ScoreableModels ScoreableBy(PolicyRuntime policy) => Derived(policy).Scoreable;

    public IExpectedCostEstimator CostEstimatorFor(PolicyRuntime policy) => Derived(policy).Costs;

    private PerPolicy Derived(PolicyRuntime policy)
    {
        var derived = Volatile.Read(ref _derived);
        if (derived is not null && ReferenceEquals(derived.Policy, policy))
        {
            return derived;
        }
        var scoreable = All.Where(m => policy.Knows(m.Name)).ToList();
        var fitted = policy.CostModel;
        var typical = fitted?.Models.ToDictionary(m => m.Model, m => m.TypicalAnswerTokens, StringComparer.Ordinal)
            ?? new Dictionary<string, double>(StringComparer.Ordinal);
        var defaultAnswer = typical.Count > 0 ? typical.Values.Order().ElementAt(typical.Count / 2) : 256;
        var prices = new PriceTableCostEstimator(
            All.Select(m => new LlmInfo { Name = m.Name, Description = m.Description, InputPricePerMillion = m.InputPricePerMillion, OutputPricePerMillion = m.OutputPricePerMillion }),
            typical,
            defaultAnswer);
        IExpectedCostEstimator costs = fitted is null ? prices : new FirstKnownCostEstimator(prices, fitted);
        derived = new PerPolicy(
            policy,
            new ScoreableModels(scoreable.Select(m => m.Name).ToArray(), scoreable.Select(m => m.Available).ToArray()),
            costs);
        Volatile.Write(ref _derived, derived);
        return derived;
    }

    private sealed record PerPolicy(PolicyRuntime Policy, ScoreableModels Scoreable, IExpectedCostEstimator Costs);
}

/// <summary>The registered models a policy can score, in registry order, with their availability.</summary>
public sealed class ScoreableModels(IReadOnlyList<string> names, IReadOnlyList<bool> available)
{
    private readonly HashSet<string> _set = names.ToHashSet(StringComparer.Ordinal);

    public IReadOnlyList<string> Names { get; } = names;
    public IReadOnlyList<bool> Available { get; } = available;

    public bool Contains(string name) => _set.Contains(name);
}
