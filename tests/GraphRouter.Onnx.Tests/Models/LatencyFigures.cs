using System.Diagnostics;
using GraphRouter.Onnx.Tests.Support;
using Xunit.Abstractions;

namespace GraphRouter.Onnx.Tests.Models;

/// <summary>
/// Measures (never asserts) how long ONNX Runtime takes, on one intra-op thread, per call: the user encoder
/// over a 300-item history and the scorer head for 11 candidates. Each call creates its input tensors,
/// runs and copies the output out, as the service will. Figures go to the test output
/// (<c>GRAPHROUTER_LATENCY=1 dotnet test --filter Category=Latency --logger "console;verbosity=detailed"</c>);
/// what is asserted is that every timed run returns the same numbers as the reference.
/// </summary>
[Trait("Category", "Latency")]
public sealed class LatencyFigures(ITestOutputHelper output)
{
    [LatencyTheory]
    [InlineData(64, 64, 300, 3000, false)]
    [InlineData(320, 256, 10, 3000, false)]
    [InlineData(320, 256, 50, 3000, false)]
    [InlineData(320, 256, 300, 3000, false)]
    [InlineData(320, 256, 300, 3000, true)]
    [InlineData(1024, 768, 300, 300, false)]
    [InlineData(1024, 768, 300, 300, true)]
    public void User_encoder_latency_for_a_long_history(int features, int hidden, int length, int runs, bool foldKeyIntoQuery)
    {
        var model = new AttentionPoolingEncoder(features, hidden, seed: 400);
        var items = TestData.Uniform(401, length * features, 2);
        var owners = new long[length];
        using var runner = new OrtRunner(model.Build(foldKeyIntoQuery));
        var inputs = new Dictionary<string, HostTensor>
        {
            ["items"] = HostTensor.Float(items, length, features),
            ["item_user"] = HostTensor.Int64(owners, length),
            ["users"] = HostTensor.Int64Scalar(1),
        };

        var first = Measure(runner, inputs, "user_embedding", runs, $"user encoder F={features} H={hidden}{(foldKeyIntoQuery ? " (key folded)" : "")}, {length} items");
        Expect.Close(model.Reference(items, owners, 1), first, [1, hidden]);
    }

    [LatencyTheory]
    [InlineData(512, 256, 11, 5000)]
    [InlineData(1536, 768, 11, 3000)]
    public void Scorer_head_latency_for_eleven_candidates(int inputs, int hidden, int candidates, int runs)
    {
        var model = new MlpScorer(inputs, hidden, seed: 402);
        var features = TestData.Uniform(403, candidates * inputs);
        using var runner = new OrtRunner(model.Build());
        var feed = new Dictionary<string, HostTensor> { ["features"] = HostTensor.Float(features, candidates, inputs) };

        var first = Measure(runner, feed, "scores", runs, $"MLP scorer {inputs}->{hidden}->1, {candidates} candidates");
        Expect.Close(model.Reference(features, candidates), first, [candidates]);
    }

    private HostTensor Measure(OrtRunner runner, Dictionary<string, HostTensor> inputs, string outputName, int runs, string label)
    {
        var first = runner.Run(inputs)[outputName];
        for (var i = 0; i < Math.Max(50, runs / 10); i++)
        {
            runner.Run(inputs);
        }

        var ticks = new long[runs];
        var cpuBefore = Environment.CpuUsage.TotalTime;
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = runner.Run(inputs)[outputName];
            ticks[i] = Stopwatch.GetTimestamp() - start;
            Assert.Equal(first.Floats, result.Floats);
        }

        var cpuPerRun = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / runs;
        Array.Sort(ticks);
        double Microseconds(long t) => t * 1e6 / Stopwatch.Frequency;
        output.WriteLine(
            $"{label}: mean {Microseconds((long)ticks.Average()):F1} us, p50 {Microseconds(ticks[runs / 2]):F1} us, " +
            $"p99 {Microseconds(ticks[(int)(runs * 0.99)]):F1} us, min {Microseconds(ticks[0]):F1} us, " +
            $"max {Microseconds(ticks[^1]):F1} us, process CPU {cpuPerRun:F1} us/run over {runs} runs " +
            $"(1 intra-op thread, {Environment.ProcessorCount} cores)");
        return first;
    }
}
