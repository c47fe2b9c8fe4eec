using GraphRouter.Onnx.Tests.Support;

namespace GraphRouter.Onnx.Tests.Models;

public sealed class MlpScorerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(37)]
    public void Scores_match_the_reference_for_any_number_of_candidates(int candidates)
    {
        var model = new MlpScorer(inputs: 64, hidden: 32, seed: 100);
        var features = TestData.Uniform(101 + candidates, candidates * model.Inputs, 2);
        using var runner = new OrtRunner(model.Build());
        var scores = runner.Run(new Dictionary<string, HostTensor>
        {
            ["features"] = HostTensor.Float(features, candidates, model.Inputs),
        })["scores"];
        Expect.Close(model.Reference(features, candidates), scores, [candidates]);
    }
}
