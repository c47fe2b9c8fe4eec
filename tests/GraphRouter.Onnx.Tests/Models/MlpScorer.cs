using GraphRouter.Onnx.Tests.Support;

namespace GraphRouter.Onnx.Tests.Models;

/// <summary>
/// The scorer's head: per candidate LLM, features [candidates, inputs] -> Linear -> ReLU -> Linear -> one score.
/// Weights are in TorchSharp's Linear layout ([out, in]); the graph and a plain C# reference share them.
/// </summary>
internal sealed class MlpScorer
{
    private readonly float[] _w1;
    private readonly float[] _b1;
    private readonly float[] _w2;
    private readonly float[] _b2;

    public MlpScorer(int inputs, int hidden, int seed)
    {
        Inputs = inputs;
        Hidden = hidden;
        _w1 = TestData.Weights(seed, inputs, hidden * inputs);
        _b1 = TestData.Weights(seed + 1, inputs, hidden);
        _w2 = TestData.Weights(seed + 2, hidden, hidden);
        _b2 = TestData.Weights(seed + 3, hidden, 1);
    }

    public int Inputs { get; }

    public int Hidden { get; }

    public byte[] Build()
    {
        var builder = new OnnxModelBuilder("mlp_scorer");
        var features = builder.Input("features", OnnxElementType.Float, ["candidates", Inputs]);
        var hidden = builder.Relu(builder.Gemm(
            features, builder.Initializer("fc1.weight", _w1, Hidden, Inputs), builder.Initializer("fc1.bias", _b1, Hidden), transB: true));
        var score = builder.Gemm(
            hidden, builder.Initializer("fc2.weight", _w2, 1, Hidden), builder.Initializer("fc2.bias", _b2, 1), transB: true);
        builder.Output("scores", builder.Squeeze(score, 1), ["candidates"]);
        return builder.Build();
    }

    public double[] Reference(float[] features, int candidates)
    {
        var hidden = ReferenceMath.Linear(ReferenceMath.ToDouble(features), candidates, Inputs, _w1, _b1, Hidden);
        for (var i = 0; i < hidden.Length; i++)
        {
            hidden[i] = Math.Max(0, hidden[i]);
        }

        return ReferenceMath.Linear(hidden, candidates, Hidden, _w2, _b2, 1);
    }
}
