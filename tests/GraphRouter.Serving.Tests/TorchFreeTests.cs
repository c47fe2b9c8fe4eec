using System.Reflection;
using GraphRouter.Serving.Runtime;

namespace GraphRouter.Serving.Tests;

/// <summary>The serving runtime runs policies with ONNX Runtime alone: nothing it loads references TorchSharp or libtorch.</summary>
public sealed class TorchFreeTests
{
    [Fact]
    public void The_serving_assembly_references_onnx_runtime_and_no_torch_even_transitively()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<AssemblyName>([typeof(PolicyRuntime).Assembly.GetName()]);
        while (pending.Count > 0)
        {
            var name = pending.Dequeue();
            if (!seen.Add(name.Name!))
            {
                continue;
            }
            Assert.DoesNotContain("torch", name.Name!, StringComparison.OrdinalIgnoreCase);
            Assembly assembly;
            try
            {
                assembly = Assembly.Load(name);
            }
            catch (FileNotFoundException)
            {
                continue;
            }
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                pending.Enqueue(reference);
            }
        }
        Assert.Contains("Microsoft.ML.OnnxRuntime", seen);
        Assert.Contains("GraphRouter.Core", seen);
    }
}
