using GraphRouter.Core.Domain;
using GraphRouter.Training.Graph;
using GraphRouter.Training.Model;
using GraphRouter.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GraphRouter.Training.Tests;

public sealed class HgtLayerTests(RouterBenchSlice slice) : IClassFixture<RouterBenchSlice>
{
    [Fact]
    public void Vectorized_attention_equals_the_per_edge_reference_on_a_real_graph_with_an_empty_history()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var histories = Histories(3, 2).Append([]).ToList();
        var batch = router.Builder.Build(histories);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        torch.manual_seed(11);
        var graph = GraphTensors.From(batch);
        var layer = new HgtLayer("layer", 16, 2, 0.0);
        layer.eval();
        var states = GraphSchema.NodeTypes.Select(t => randn(batch.NodeCount(t), 16)).ToArray();
        foreach (var destination in GraphSchema.Destinations)
        {
            var fast = layer.Attend(states, graph, destination);
            var slow = layer.AttendReference(states, batch, destination);
            Assert.Equal(new long[] { batch.NodeCount(destination), 16 }, fast.shape);
            Assert.True(allclose(fast, slow, rtol: 1e-4, atol: 1e-5), $"{destination}: max difference {(fast - slow).abs().max().item<float>()}");
        }
        // the fourth user has no Turn: no incoming edge, zero aggregate
        Assert.Equal(0f, layer.Attend(states, graph, NodeType.User)[3].abs().sum().item<float>());
    }

    [Fact]
    public void Layer_updates_only_destination_types_and_keeps_every_shape()
    {
        using var router = GraphRouterTrainer.Create(slice.Split, RouterBenchSlice.SmallConfig);
        var batch = router.Builder.Build(Histories(4, 3));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var graph = GraphTensors.From(batch);
        var layer = new HgtLayer("layer", 16, 4, 0.0);
        var states = GraphSchema.NodeTypes.Select(t => randn(batch.NodeCount(t), 16)).ToArray();
        var updated = layer.call(states, graph);
        foreach (var type in GraphSchema.NodeTypes)
        {
            Assert.Equal(new long[] { batch.NodeCount(type), 16 }, updated[(int)type].shape);
            Assert.Equal(GraphSchema.Destinations.Contains(type), !ReferenceEquals(states[(int)type], updated[(int)type]));
        }
    }

    private List<IReadOnlyList<Interaction>> Histories(int users, int each) =>
        slice.Split.Train.GroupBy(i => i.User).Take(users).Select(g => (IReadOnlyList<Interaction>)g.Take(each).ToList()).ToList();
}
