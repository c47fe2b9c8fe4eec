using GraphRouter.Core.Datasets;

namespace GraphRouter.Cli.Commands;

/// <summary>Tells a dataset folder's format from the files it holds.</summary>
internal static class DatasetFormats
{
    public static DatasetFormat Detect(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DatasetFormatException(folder, null, "no such dataset folder");
        }
        if (File.Exists(Path.Combine(folder, RouterBenchReader.DatasetFile)))
        {
            return DatasetFormat.RouterBench;
        }
        if (File.Exists(Path.Combine(folder, "llms.json")) && File.Exists(Path.Combine(folder, "train.json")))
        {
            return DatasetFormat.QualityTable;
        }
        throw new DatasetFormatException(folder, null,
            $"not a dataset folder: expected {RouterBenchReader.DatasetFile} (routerbench format) or llms.json and train.json (llmrouter-dc format)");
    }
}
