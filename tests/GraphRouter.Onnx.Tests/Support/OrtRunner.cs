using Microsoft.ML.OnnxRuntime;

namespace GraphRouter.Onnx.Tests.Support;

/// <summary>Loads model bytes into ONNX Runtime (one intra-op thread, as the service will) and runs them.</summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    public OrtRunner(byte[] model)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, _options);
    }

    public InferenceSession Session => _session;

    /// <summary>Runs the model once; returns every graph output by name.</summary>
    public IReadOnlyDictionary<string, HostTensor> Run(IReadOnlyDictionary<string, HostTensor> inputs)
    {
        var names = inputs.Keys.ToArray();
        var values = names.Select(n => inputs[n].ToOrtValue()).ToArray();
        try
        {
            using var outputs = _session.Run(_runOptions, names, values, _session.OutputNames);
            return _session.OutputNames
                .Zip(outputs)
                .ToDictionary(p => p.First, p => HostTensor.FromOrtValue(p.Second), StringComparer.Ordinal);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>Builds, loads and runs a model in one go; for the single-output operator tests.</summary>
    public static HostTensor RunSingle(OnnxModelBuilder builder, params (string Name, HostTensor Value)[] inputs)
    {
        using var runner = new OrtRunner(builder.Build());
        var outputs = runner.Run(inputs.ToDictionary(i => i.Name, i => i.Value, StringComparer.Ordinal));
        return Assert.Single(outputs).Value;
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
        _options.Dispose();
    }
}
