using GraphRouter.Serving.Runtime;

namespace GraphRouter.Serving.Tests.Runtime;

/// <summary>The repository's bundled default policy, loaded once with ONNX Runtime, and its parity sample.</summary>
public sealed class BundledPolicyFixture : IDisposable
{
    public BundledPolicyFixture()
    {
        Runtime = PolicyRuntime.Load(BundledPolicy.Folder);
        Parity = ParitySample.FromJson(File.ReadAllText(Path.Combine(BundledPolicy.Folder, ParitySample.FileName)));
    }

    public PolicyRuntime Runtime { get; }

    public ParitySample Parity { get; }

    /// <summary>A copy of the bundled policy in a fresh temporary parent folder, to tamper with.</summary>
    public static PolicyCopy Copy() => new(BundledPolicy.Folder);

    public void Dispose() => Runtime.Dispose();
}

/// <summary>A policy folder copied under a temporary parent (the folder keeps its version name); deleted on dispose.</summary>
public sealed class PolicyCopy : IDisposable
{
    public PolicyCopy(string source)
    {
        Parent = Path.Combine(Path.GetTempPath(), "graphrouter-serving-tests", Guid.NewGuid().ToString("N"));
        Folder = Path.Combine(Parent, Path.GetFileName(source));
        Directory.CreateDirectory(Folder);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)));
        }
    }

    public string Parent { get; }

    public string Folder { get; }

    public string PathOf(string file) => Path.Combine(Folder, file);

    public void Dispose() => Directory.Delete(Parent, recursive: true);
}
