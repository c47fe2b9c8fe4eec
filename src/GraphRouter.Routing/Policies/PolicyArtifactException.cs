namespace GraphRouter.Routing.Policies;

/// <summary>A policy folder that must not become active, naming the file at fault (null when the folder itself is).</summary>
public sealed class PolicyArtifactException : Exception
{
    public PolicyArtifactException(string folder, string? file, string problem)
        : base(file is null ? $"policy '{folder}': {problem}" : $"policy '{folder}', file '{file}': {problem}")
    {
        Folder = folder;
        File = file;
        Problem = problem;
    }

    public PolicyArtifactException()
        : this("", null, "invalid policy artifact")
    {
    }

    public PolicyArtifactException(string message)
        : this("", null, message)
    {
    }

    public PolicyArtifactException(string message, Exception innerException)
        : base(message, innerException)
    {
        Folder = "";
        Problem = message;
    }

    public string Folder { get; }
    /// <summary>The file's path relative to the policy folder.</summary>
    public string? File { get; }
    public string Problem { get; }
}
