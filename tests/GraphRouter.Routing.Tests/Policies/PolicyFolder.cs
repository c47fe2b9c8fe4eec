using System.Text.Json;
using GraphRouter.Core.Datasets;
using GraphRouter.Routing.Costs;
using GraphRouter.Routing.Policies;

namespace GraphRouter.Routing.Tests.Policies;

/// <summary>A real policy folder in a temporary directory, sealed with a manifest; deleted on dispose.</summary>
internal sealed class PolicyFolder : IDisposable
{
    public PolicyFolder(string version = "2026-11-23.1")
    {
        Root = Path.Combine(Path.GetTempPath(), "graphrouter-policy-tests", Guid.NewGuid().ToString("N"));
        FolderPath = Path.Combine(Root, version);
        Directory.CreateDirectory(Path.Combine(FolderPath, "onnx"));
        var data = RouterBenchReader.Load(BundledData.RouterBench);
        var costModel = CostModelFitter.Fit(data.Outcomes.Take(2000), id => data.Query(id).Text);
        File.WriteAllText(Path.Combine(FolderPath, FittedCostModel.FileName), costModel.ToJson());
        File.WriteAllBytes(Path.Combine(FolderPath, "onnx", "scorer.onnx"), Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251)).ToArray());
        File.WriteAllText(Path.Combine(FolderPath, "llm-vectors.json"), JsonSerializer.Serialize(data.Llms.Select(l => l.Name)));
        Models = data.Llms.Select(l => l.Name).ToList();
        Manifest = PolicyManifestWriter.Write(FolderPath, new PolicyManifest
        {
            Version = version,
            Created = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero),
            DataSnapshot = $"{data.Name} v{data.Version}: {data.Interactions.Count} interactions",
            Config = JsonDocument.Parse("""{"hidden":256,"heads":4,"seed":7}""").RootElement.Clone(),
            Metrics = new Dictionary<string, double> { ["pairwiseAccuracy"] = 0.71, ["auc"] = 0.77 },
            QueryEncoder = "hashed-ngram",
            Models = Models,
        });
    }

    public string Root { get; }
    public string FolderPath { get; }
    public IReadOnlyList<string> Models { get; }
    public PolicyManifest Manifest { get; }

    public string FilePath(string relative) => Path.Combine(FolderPath, relative.Replace('/', Path.DirectorySeparatorChar));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
