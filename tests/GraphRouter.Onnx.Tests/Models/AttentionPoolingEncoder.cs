using GraphRouter.Onnx.Tests.Support;

namespace GraphRouter.Onnx.Tests.Models;

/// <summary>
/// A user encoder shaped like GraphRouter's: each history item (features [N, F]) goes through
/// Linear -> GELU -> LayerNorm, then single-head attention with a learned query pools each user's items
/// (a segment softmax over a padding-free, variable-length set) into one vector, projected by a Linear.
/// A user with no item gets the learned prior. Several users are encoded in one call: item_user [N] says
/// whose item each row is, users is the number of users.
/// </summary>
internal sealed class AttentionPoolingEncoder
{
    private readonly float[] _inWeight;
    private readonly float[] _inBias;
    private readonly float[] _normScale;
    private readonly float[] _normBias;
    private readonly float[] _keyWeight;
    private readonly float[] _keyBias;
    private readonly float[] _valueWeight;
    private readonly float[] _valueBias;
    private readonly float[] _query;
    private readonly float[] _outWeight;
    private readonly float[] _outBias;

    public AttentionPoolingEncoder(int features, int hidden, int seed)
    {
        Features = features;
        Hidden = hidden;
        _inWeight = TestData.Weights(seed, features, hidden * features);
        _inBias = TestData.Weights(seed + 1, features, hidden);
        _normScale = [.. TestData.Uniform(seed + 2, hidden, 0.5).Select(v => 1 + v)];
        _normBias = TestData.Uniform(seed + 3, hidden, 0.1);
        _keyWeight = TestData.Weights(seed + 4, hidden, hidden * hidden);
        _keyBias = TestData.Weights(seed + 5, hidden, hidden);
        _valueWeight = TestData.Weights(seed + 6, hidden, hidden * hidden);
        _valueBias = TestData.Weights(seed + 7, hidden, hidden);
        _query = TestData.Uniform(seed + 8, hidden, 2);
        _outWeight = TestData.Weights(seed + 9, hidden, hidden * hidden);
        _outBias = TestData.Weights(seed + 10, hidden, hidden);
        Prior = TestData.Uniform(seed + 11, hidden);
    }

    public int Features { get; }

    public int Hidden { get; }

    /// <summary>The learned vector of a user with no history.</summary>
    public float[] Prior { get; }

    /// <summary>
    /// The graph. With <paramref name="foldKeyIntoQuery"/> the key projection is folded into the learned
    /// query at export time: k.q = h.(W_k^T q) + b_k.q, and b_k.q is the same for every item of a segment,
    /// so softmax ignores it. One [H, H] GEMM fewer, the same embedding.
    /// </summary>
    public byte[] Build(bool foldKeyIntoQuery = false)
    {
        var b = new OnnxModelBuilder("user_encoder");
        var items = b.Input("items", OnnxElementType.Float, ["history", Features]);
        var itemUser = b.Input("item_user", OnnxElementType.Int64, ["history"]);
        var users = b.Input("users", OnnxElementType.Int64, []);

        var projected = b.Linear(items, b.Initializer("input.weight", _inWeight, Hidden, Features), b.Initializer("input.bias", _inBias, Hidden));
        var h = b.LayerNormalization(b.Gelu(projected), b.Initializer("norm.weight", _normScale, Hidden), b.Initializer("norm.bias", _normBias, Hidden));
        var values = b.Linear(h, b.Initializer("value.weight", _valueWeight, Hidden, Hidden), b.Initializer("value.bias", _valueBias, Hidden));
        var scale = b.FloatScalar((float)(1 / Math.Sqrt(Hidden)));
        OnnxValue scores;
        if (foldKeyIntoQuery)
        {
            scores = b.Mul(b.MatMul(h, b.Initializer("key_query", FoldedQuery(), Hidden, 1)), scale);
        }
        else
        {
            var keys = b.Linear(h, b.Initializer("key.weight", _keyWeight, Hidden, Hidden), b.Initializer("key.bias", _keyBias, Hidden));
            scores = b.Mul(b.MatMul(keys, b.Initializer("query", _query, Hidden, 1)), scale);
        }


        var segments = b.Segments(itemUser, users);
        var attention = b.SegmentSoftmax(scores, segments);
        var pooled = b.SegmentSum(b.Mul(attention, values), segments);
        var user = b.Linear(pooled, b.Initializer("output.weight", _outWeight, Hidden, Hidden), b.Initializer("output.bias", _outBias, Hidden));
        var embedding = b.FallbackWhenEmpty(user, b.SegmentCounts(segments), b.Initializer("prior", Prior, Hidden));
        b.Output("user_embedding", embedding, ["users", Hidden]);
        return b.Build();
    }

    /// <summary>The same computation with loops, one user at a time: rows [users, hidden].</summary>
    public double[] Reference(float[] items, long[] itemUser, int users)
    {
        var result = new double[users * Hidden];
        for (var u = 0; u < users; u++)
        {
            var rows = Enumerable.Range(0, itemUser.Length).Where(n => itemUser[n] == u).ToArray();
            var embedding = rows.Length == 0 ? ReferenceMath.ToDouble(Prior) : EncodeOne(items, rows);
            Array.Copy(embedding, 0, result, u * Hidden, Hidden);
        }

        return result;
    }

    /// <summary>W_k^T q, accumulated in double.</summary>
    private float[] FoldedQuery()
    {
        var folded = new float[Hidden];
        for (var i = 0; i < Hidden; i++)
        {
            var sum = 0.0;
            for (var o = 0; o < Hidden; o++)
            {
                sum += (double)_keyWeight[(o * Hidden) + i] * _query[o];
            }

            folded[i] = (float)sum;
        }

        return folded;
    }

    private double[] EncodeOne(float[] items, int[] rows)
    {
        var n = rows.Length;
        var x = new double[n * Features];
        for (var i = 0; i < n; i++)
        {
            for (var f = 0; f < Features; f++)
            {
                x[(i * Features) + f] = items[(rows[i] * Features) + f];
            }
        }

        var projected = ReferenceMath.Linear(x, n, Features, _inWeight, _inBias, Hidden).Select(ReferenceMath.Gelu).ToArray();
        var h = ReferenceMath.LayerNormRows(projected, n, Hidden, _normScale, _normBias, 1e-5);
        var keys = ReferenceMath.Linear(h, n, Hidden, _keyWeight, _keyBias, Hidden);
        var values = ReferenceMath.Linear(h, n, Hidden, _valueWeight, _valueBias, Hidden);
        var scores = ReferenceMath.MatMul(keys, n, Hidden, ReferenceMath.ToDouble(_query), 1).Select(s => s / Math.Sqrt(Hidden)).ToArray();
        var attention = ReferenceMath.SoftmaxRows(scores, 1, n);
        var pooled = new double[Hidden];
        for (var i = 0; i < n; i++)
        {
            for (var d = 0; d < Hidden; d++)
            {
                pooled[d] += attention[i] * values[(i * Hidden) + d];
            }
        }

        return ReferenceMath.Linear(pooled, 1, Hidden, _outWeight, _outBias, Hidden);
    }
}
