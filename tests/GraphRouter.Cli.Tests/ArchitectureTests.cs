using System.Reflection;
using System.Text.Json;
using GraphRouter.Storage;

namespace GraphRouter.Cli.Tests;

/// <summary>The online service never needs libtorch: its assemblies reference neither TorchSharp nor libtorch.</summary>
public sealed class ArchitectureTests
{
    private static readonly string[] Forbidden = ["TorchSharp", "libtorch"];

    [Fact]
    public void Service_assemblies_do_not_reference_torch_even_transitively()
    {
        var roots = new[] { typeof(GraphRouterCli).Assembly, typeof(IGraphStore).Assembly, typeof(Core.Datasets.PreferenceDataset).Assembly };
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<AssemblyName>(roots.Select(a => a.GetName()));
        while (pending.Count > 0)
        {
            var name = pending.Dequeue();
            if (!seen.Add(name.Name!))
            {
                continue;
            }
            Assert.DoesNotContain(Forbidden, f => name.Name!.Contains(f, StringComparison.OrdinalIgnoreCase));
            Assembly assembly;
            try
            {
                assembly = Assembly.Load(name);
            }
            catch (FileNotFoundException)
            {
                continue; // a facade the runtime does not ship separately; it has no references of its own here
            }
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                pending.Enqueue(reference);
            }
        }
        Assert.Contains("GraphRouter.Storage", seen);
        Assert.Contains("Npgsql", seen);
    }

    [Fact]
    public void The_graphrouter_deps_json_lists_no_torch_package()
    {
        var deps = Path.Combine(AppContext.BaseDirectory, "graphrouter.deps.json");
        using var document = JsonDocument.Parse(File.ReadAllText(deps));

        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains(libraries, l => l.StartsWith("Microsoft.Data.Sqlite/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, l => Forbidden.Any(f => l.Contains(f, StringComparison.OrdinalIgnoreCase)));
    }
}
