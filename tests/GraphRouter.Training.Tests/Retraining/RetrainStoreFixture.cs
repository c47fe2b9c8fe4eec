using System.Diagnostics;
using GraphRouter.Core.Datasets;
using GraphRouter.Serving.Engine;
using GraphRouter.Serving.Runtime;
using GraphRouter.Storage;

namespace GraphRouter.Training.Tests.Retraining;

/// <summary>
/// A real SQLite store prepared once as the service prepares it on first start (migrations, the bundled routerbench
/// imported, the bundled policy registered and active), from a copy of the bundled policy in a temporary folder.
/// Each test gets its own copy of that database file (<see cref="NewStore"/>), so runs and activations in one
/// test never reach another.
/// </summary>
public sealed class RetrainStoreFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "graphrouter-retrain-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The bundled policy's copy, the folder the template store registered it from.</summary>
    public string BundledPolicies => Path.Combine(Root, "bundled");

    private string Template => Path.Combine(Root, "template.db");

    public TimeSpan PrepareTime { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        CopyFolder(BundledPolicy.Folder, Path.Combine(BundledPolicies, BundledPolicy.Version));
        await using (var store = await GraphStoreFactory.OpenAsync(StoreLocation.Sqlite(Template)))
        {
            await ServiceBootstrap.PrepareAsync(store, BundledData.RouterBench, BundledPolicies, TextWriter.Null);
        }
        PrepareTime = clock.Elapsed;
    }

    /// <summary>A fresh copy of the prepared store, and an empty folder for the policies its retrains write.</summary>
    public (string StorePath, string Policies) NewStore()
    {
        var folder = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "policies"));
        var path = Path.Combine(folder, "graphrouter.db");
        File.Copy(Template, path);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(Template + suffix))
            {
                File.Copy(Template + suffix, path + suffix);
            }
        }
        return (path, Path.Combine(folder, "policies"));
    }

    public static async Task<IGraphStore> OpenAsync(string path) => await GraphStoreFactory.OpenAsync(StoreLocation.Sqlite(path));

    public Task DisposeAsync()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
        return Task.CompletedTask;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
