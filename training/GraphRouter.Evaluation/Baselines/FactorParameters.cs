namespace GraphRouter.Evaluation.Baselines;

/// <summary>The weights of the pairwise factor model (see <see cref="FactorSettings"/>), row-major flat arrays.</summary>
internal sealed class FactorParameters
{
    public FactorParameters(int llms, int rank, int queryRank, int featureDimension, IReadOnlyList<string> users, bool queryDependentTaste = false)
    {
        TasteRank = queryDependentTaste ? queryRank : 0;
        ItemQueryFactors = new float[llms * rank * TasteRank];
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
    /// <summary>C: per LLM, rank × <see cref="TasteRank"/>; v_m(q) = v_m + C_m z_q.</summary>
    public float[] ItemQueryFactors { get; }
    /// <summary>The query code's size in the taste term: <see cref="QueryRank"/> or 0.</summary>
    public int TasteRank { get; }

    /// <summary>A deep copy (early stopping keeps the best epoch's weights).</summary>
    public FactorParameters Clone()
    {
        var copy = new FactorParameters(Llms, Rank, QueryRank, FeatureDimension, Users, TasteRank > 0);
        Bias.CopyTo(copy.Bias, 0);
        QueryWeights.CopyTo(copy.QueryWeights, 0);
        Projection.CopyTo(copy.Projection, 0);
        ItemFactors.CopyTo(copy.ItemFactors, 0);
        UserFactors.CopyTo(copy.UserFactors, 0);
        ItemQueryFactors.CopyTo(copy.ItemQueryFactors, 0);
        return copy;
    }

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

    /// <summary>v_m(q) = v_m + C_m z into <paramref name="destination"/> (length <see cref="Rank"/>).</summary>
    public void Item(int llm, float[] z, Span<double> destination)
    {
        for (var k = 0; k < Rank; k++)
        {
            double v = ItemFactors[llm * Rank + k];
            var row = (llm * Rank + k) * TasteRank;
            for (var j = 0; j < TasteRank; j++)
            {
                v += ItemQueryFactors[row + j] * z[j];
            }
            destination[k] = v;
        }
    }
}
