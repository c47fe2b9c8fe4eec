using GraphRouter.Training.Graph;
using GraphRouter.Training.Model;
using static TorchSharp.torch;

namespace GraphRouter.Training.Tests;

public sealed class SegmentSoftmaxTests
{
    [Fact]
    public void Vectorized_equals_the_loop_reference_with_an_empty_destination_and_a_segment_far_below_the_global_max()
    {
        // 4 destinations: 0 has three edges, 1 has none, 2 has two edges ~200 below the global max, 3 has one edge.
        int[] destinations = [0, 2, 0, 3, 2, 0];
        var scores = new float[,] { { 1.5f, -0.3f }, { -200f, -180f }, { 2.0f, 0.7f }, { 0.1f, 9f }, { -201.5f, -179f }, { -1f, 3f } };
        using var scope = NewDisposeScope();
        var edges = Incoming(destinations, 4);
        var flat = new float[scores.Length];
        Buffer.BlockCopy(scores, 0, flat, 0, flat.Length * sizeof(float));
        var vectorized = SegmentSoftmax.Vectorized(tensor(flat, [6, 2]), edges).data<float>().ToArray();
        var reference = SegmentSoftmax.Reference(scores, destinations);
        for (var e = 0; e < 6; e++)
        {
            for (var h = 0; h < 2; h++)
            {
                Assert.Equal(reference[e, h], vectorized[e * 2 + h], 5);
            }
        }
        // the far-below segment still sums to one per head (a global-max stabilizer would give 0/1e-16 here)
        Assert.Equal(1f, vectorized[1 * 2] + vectorized[4 * 2], 5);
        Assert.Equal(1f, vectorized[3 * 2 + 1], 5);
    }

    private static IncomingEdges Incoming(int[] destinations, int nodes)
    {
        var degree = new int[nodes];
        var max = destinations.GroupBy(d => d).Max(g => g.Count());
        var slots = destinations.Select(d => (long)d * max + degree[d]++).ToArray();
        return new IncomingEdges(tensor(destinations.Select(d => (long)d).ToArray()), tensor(slots), nodes, max);
    }
}
