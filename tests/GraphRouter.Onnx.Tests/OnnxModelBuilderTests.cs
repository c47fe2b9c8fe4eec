using GraphRouter.Onnx.Tests.Models;
using GraphRouter.Onnx.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace GraphRouter.Onnx.Tests;

public sealed class OnnxModelBuilderTests
{
    [Fact]
    public void The_same_graph_built_twice_gives_identical_bytes()
    {
        var first = new AttentionPoolingEncoder(features: 16, hidden: 8, seed: 300).Build();
        var second = new AttentionPoolingEncoder(features: 16, hidden: 8, seed: 300).Build();
        Assert.Equal(first, second);
        Assert.Equal(new MlpScorer(16, 8, 301).Build(), new MlpScorer(16, 8, 301).Build());
    }

    [Fact]
    public void Different_weights_give_different_bytes()
    {
        var first = new AttentionPoolingEncoder(features: 16, hidden: 8, seed: 300).Build();
        var other = new AttentionPoolingEncoder(features: 16, hidden: 8, seed: 302).Build();
        Assert.Equal(first.Length, other.Length);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Build_can_be_called_again_and_gives_the_same_bytes()
    {
        var builder = SmallGraph();
        Assert.Equal(builder.Build(), builder.Build());
    }

    [Fact]
    public void A_node_input_the_graph_does_not_know_is_rejected_with_its_name()
    {
        var builder = new OnnxModelBuilder("bad");
        var x = builder.Input("x", OnnxElementType.Float, ["batch", 4]);
        var nodes = builder.NodeCount;

        var error = Assert.Throws<OnnxGraphException>(() => builder.Add(x, new OnnxValue("no_such_value", OnnxElementType.Float)));

        Assert.Contains("'no_such_value'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Add", error.Message, StringComparison.Ordinal);
        Assert.Equal(nodes, builder.NodeCount);
    }

    [Fact]
    public void A_value_from_another_builder_is_rejected()
    {
        var other = new OnnxModelBuilder("other");
        var foreign = other.Relu(other.Input("z", OnnxElementType.Float, [2]));
        var builder = new OnnxModelBuilder("this");
        var x = builder.Input("x", OnnxElementType.Float, [2]);
        Assert.Throws<OnnxGraphException>(() => builder.Mul(x, foreign));
        Assert.Throws<OnnxGraphException>(() => builder.Output("y", foreign));
    }

    [Fact]
    public void A_value_whose_stated_type_differs_from_the_graphs_is_rejected()
    {
        var builder = new OnnxModelBuilder("bad");
        builder.Input("x", OnnxElementType.Float, [2]);
        var error = Assert.Throws<OnnxGraphException>(() => builder.Relu(new OnnxValue("x", OnnxElementType.Int64)));
        Assert.Contains("is Float, not Int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mixed_element_types_are_rejected_before_ONNX_Runtime_sees_them()
    {
        var builder = new OnnxModelBuilder("bad");
        var x = builder.Input("x", OnnxElementType.Float, [2]);
        var n = builder.Input("n", OnnxElementType.Int64, [2]);
        Assert.Throws<OnnxGraphException>(() => builder.Add(x, n));
        Assert.Throws<OnnxGraphException>(() => builder.Where(x, x, x));
        Assert.Throws<OnnxGraphException>(() => builder.Gather(x, x));
        Assert.Throws<OnnxGraphException>(() => builder.Reshape(x, x));
        Assert.Throws<OnnxGraphException>(() => builder.Exp(n));
        Assert.Throws<OnnxGraphException>(() => builder.Relu(builder.Equal(x, x)));
    }

    [Fact]
    public void Duplicate_names_are_rejected()
    {
        var builder = new OnnxModelBuilder("bad");
        var x = builder.Input("x", OnnxElementType.Float, [2]);
        Assert.Throws<OnnxGraphException>(() => builder.Input("x", OnnxElementType.Float, [2]));
        Assert.Throws<OnnxGraphException>(() => builder.Initializer("x", [1f, 2f], 2));
        builder.Output("y", builder.Relu(x));
        Assert.Throws<OnnxGraphException>(() => builder.Output("y", x));
    }

    [Fact]
    public void An_initializer_whose_data_does_not_fill_its_shape_is_rejected()
    {
        var builder = new OnnxModelBuilder("bad");
        var error = Assert.Throws<OnnxGraphException>(() => builder.Initializer("w", new float[5], 2, 3));
        Assert.Contains("5 elements but shape [2, 3] needs 6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_without_outputs_is_rejected()
    {
        var builder = new OnnxModelBuilder("bad");
        builder.Relu(builder.Input("x", OnnxElementType.Float, [2]));
        Assert.Throws<OnnxGraphException>(builder.Build);
    }

    [Fact]
    public void Value_finds_a_known_name_and_rejects_an_unknown_one()
    {
        var builder = new OnnxModelBuilder("lookup");
        builder.Input("x", OnnxElementType.Int64, ["n"]);
        Assert.Equal(new OnnxValue("x", OnnxElementType.Int64), builder.Value("x"));
        Assert.Throws<OnnxGraphException>(() => builder.Value("y"));
    }

    [Fact]
    public void Generated_names_never_collide_with_names_the_caller_chose()
    {
        // The caller takes the name the next generated value would have had; the builder skips it.
        var builder = new OnnxModelBuilder("names");
        var x = builder.Input("Relu_0", OnnxElementType.Float, [2]);
        var y = builder.Relu(x);
        Assert.NotEqual("Relu_0", y.Name);
        builder.Output("y", y);
        var result = OrtRunner.RunSingle(builder, ("Relu_0", HostTensor.Float([-1f, 2f], 2)));
        Expect.Close([0, 2], result, [2]);
    }

    [Fact]
    public void ONNX_Runtime_reads_names_symbolic_dimensions_and_producer()
    {
        using var runner = new OrtRunner(SmallGraph().Build());
        var session = runner.Session;

        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("history", input.Key);
        Assert.Equal(typeof(float), input.Value.ElementType);
        Assert.Equal([-1, 4], input.Value.Dimensions);
        Assert.Equal(["history", ""], input.Value.SymbolicDimensions);

        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal("pooled", output.Key);
        Assert.Equal([1, 4], output.Value.Dimensions);

        Assert.Equal("GraphRouter", session.ModelMetadata.ProducerName);
        Assert.Equal("small", session.ModelMetadata.GraphName);
    }

    [Fact]
    public void Model_bytes_start_with_the_ir_version_field()
    {
        // ModelProto field 1 (ir_version, varint): tag byte 0x08, then 8.
        var bytes = SmallGraph().Build();
        Assert.Equal(0x08, bytes[0]);
        Assert.Equal(OnnxModelBuilder.IrVersion, bytes[1]);
    }

    [Fact]
    public void Corrupted_model_bytes_are_refused_by_ONNX_Runtime()
    {
        // The counterpart of the builder's checks: what ORT does with a graph it cannot use.
        var bytes = SmallGraph().Build();
        Assert.ThrowsAny<OnnxRuntimeException>(() => new OrtRunner(bytes[..(bytes.Length / 2)]).Dispose());
    }

    private static OnnxModelBuilder SmallGraph()
    {
        var builder = new OnnxModelBuilder("small");
        var history = builder.Input("history", OnnxElementType.Float, ["history", 4]);
        var weights = builder.Softmax(builder.ReduceSum(history, [1]), axis: 0);
        builder.Output("pooled", builder.ReduceSum(builder.Mul(weights, history), [0]), [1, 4]);
        return builder;
    }
}
