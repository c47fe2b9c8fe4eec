using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Routers;

namespace GraphRouter.Evaluation.Baselines;

/// <summary>The baseline suite, strongest last; the text-based ones share one cached <paramref name="encoder"/>.</summary>
public static class BaselineSuite
{
    public static IReadOnlyList<IPreferenceModelTrainer> All(IQueryEncoder encoder, Action<string>? log = null)
    {
        var shared = encoder as CachedQueryEncoder ?? new CachedQueryEncoder(encoder);
        return
        [
            new RandomTrainer(),
            new GlobalBestTrainer(),
            CostRankTrainer.Smallest,
            CostRankTrainer.Largest,
            new GlobalBradleyTerryTrainer(),
            new KnnTrainer(shared),
            new QueryMatrixFactorizationTrainer(shared, log: log),
            new PerUserBradleyTerryTrainer(),
            new LowRankBradleyTerryTrainer(shared, log: log),
        ];
    }
}
