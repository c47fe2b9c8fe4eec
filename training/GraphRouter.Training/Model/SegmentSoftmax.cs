using GraphRouter.Training.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace GraphRouter.Training.Model;

/// <summary>
/// Softmax of edge scores over each destination's incoming edges (all relations together), per head.
/// TorchSharp 0.107 has no scatter_reduce: the stabilizer is each destination's own maximum, found by
/// copying the (detached) scores into a destination x max-degree table padded with -inf. A per-head
/// global maximum would also be exact in real arithmetic, but it underflows to 0/0 for a destination
/// whose scores all lie ~100 below the global maximum. Then exp, index_add per destination, + 1e-16, divide.
/// </summary>
public static class SegmentSoftmax
{
    private const double Epsilon = 1e-16;

    /// <param name="scores">[edges, heads]</param>
    /// <returns>[edges, heads]: attention weights summing to 1 over each destination's edges.</returns>
    public static Tensor Vectorized(Tensor scores, IncomingEdges edges)
    {
        var heads = scores.shape[1];
        Tensor stabilizer;
        using (no_grad())
        {
            var padded = full([(long)edges.NodeCount * edges.MaxDegree, heads], double.NegativeInfinity, dtype: scores.dtype);
            padded.index_copy_(0, edges.PaddedSlots, scores.detach());
            var segmentMax = padded.view(edges.NodeCount, edges.MaxDegree, heads).amax([1]);
            stabilizer = segmentMax.index_select(0, edges.Destinations);
        }
        var exp = (scores - stabilizer).exp();
        var denominator = zeros([edges.NodeCount, heads], dtype: scores.dtype).index_add(0, edges.Destinations, exp, 1);
        return exp / (denominator.index_select(0, edges.Destinations) + Epsilon);
    }

    /// <summary>The naive definition, loop by loop, for tests: [edges, heads] scores, destination per edge.</summary>
    public static float[,] Reference(float[,] scores, int[] destinations)
    {
        var edgeCount = scores.GetLength(0);
        var heads = scores.GetLength(1);
        var result = new float[edgeCount, heads];
        foreach (var destination in destinations.Distinct())
        {
            var members = Enumerable.Range(0, edgeCount).Where(e => destinations[e] == destination).ToArray();
            for (var h = 0; h < heads; h++)
            {
                var max = members.Max(e => (double)scores[e, h]);
                var sum = members.Sum(e => Math.Exp(scores[e, h] - max));
                foreach (var e in members)
                {
                    result[e, h] = (float)(Math.Exp(scores[e, h] - max) / sum);
                }
            }
        }
        return result;
    }
}
