namespace GraphRouter.Evaluation.Baselines;

/// <summary>The weights of the pairwise factor model (see <see cref="FactorSettings"/>), row-major flat arrays.</summary>
internal sealed class FactorParameters
{
    public FactorParameters(int llms, int rank, int queryRank, int featureDimension, IReadOnlyList<string> users)
    {
        Llms = llms;
        Rank = rank;
        QueryRank = queryRank;
        FeatureDimension = featureDimension;
        Users = users;
        Bias = new float[llms];
        QueryWeights = new float[llms * queryRank];
        Projection = new float[queryRank * featureDimension];
        ItemFactors = new float[llms * rank];
        UserFactors = new float[users.Count * rank];
    }

    public int Llms { get; }
    public int Rank { get; }
    public int QueryRank { get; }
    public int FeatureDimension { get; }
    public IReadOnlyList<string> Users { get; }
    public float[] Bias { get; }
    public float[] QueryWeights { get; }
    public float[] Projection { get; }
    public float[] ItemFactors { get; }
    public float[] UserFactors { get; }

    /// <summary>z = P x: the query's low-dimensional code.</summary>
    public float[] Project(float[] features)
    {
        var z = new float[QueryRank];
        for (var k = 0; k < QueryRank; k++)
        {
            z[k] = DenseMath.Dot(Projection.AsSpan(k * FeatureDimension, FeatureDimension), features);
        }
        return z;
    }

    /// <summary>The user-independent part b_m + a_m·z.</summary>
    public double Fixed(int llm, float[] z)
    {
        double s = Bias[llm];
        for (var k = 0; k < QueryRank; k++)
        {
            s += QueryWeights[llm * QueryRank + k] * z[k];
        }
        return s;
    }

    public ReadOnlySpan<float> Item(int llm) => ItemFactors.AsSpan(llm * Rank, Rank);
}
