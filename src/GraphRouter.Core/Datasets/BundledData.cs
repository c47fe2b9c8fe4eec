namespace GraphRouter.Core.Datasets;

/// <summary>Finds the datasets the product ships (the repository's <c>data/</c> folder, or a copy beside the executable).</summary>
public static class BundledData
{
    /// <summary>The <c>data</c> folder: <c>GRAPHROUTER_DATA</c> when set, else the first <c>data/routerbench</c> found walking up from the executable.</summary>
    public static string Root()
    {
        var fromEnv = Environment.GetEnvironmentVariable("GRAPHROUTER_DATA");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data");
            if (Directory.Exists(Path.Combine(candidate, "routerbench")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("bundled data not found: set GRAPHROUTER_DATA to the folder that holds routerbench/ and llmrouter-dc/");
    }

    public static string RouterBench => Path.Combine(Root(), "routerbench");

    public static string LlmRouterDc => Path.Combine(Root(), "llmrouter-dc");
}
