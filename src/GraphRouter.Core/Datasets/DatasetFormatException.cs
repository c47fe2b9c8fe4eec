namespace GraphRouter.Core.Datasets;

/// <summary>A dataset file that cannot be used as it is: names the file and, where it applies, the 1-based line.</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string file, int? line, string problem)
        : base(line is { } l ? $"{file}:{l}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    public DatasetFormatException(string file, int? line, string problem, Exception inner)
        : base(line is { } l ? $"{file}:{l}: {problem}" : $"{file}: {problem}", inner)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    public string File { get; }
    public int? Line { get; }
    public string Problem { get; }
}
