namespace GraphRouter.Storage;

/// <summary>
/// A write names something the store does not hold (an unregistered model, an unknown policy version,
/// an unknown training run, API key or tenant).
/// The message names what was missing, <see cref="Kind"/> and <see cref="Names"/> say it for a program;
/// the store changed nothing.
/// </summary>
public sealed class StoreNotFoundException : Exception
{
    public StoreNotFoundException(string kind, IReadOnlyList<string> names)
        : base(Describe(kind, names))
    {
        Kind = kind;
        Names = names;
    }

    /// <summary>What kind of thing is missing: <see cref="Model"/>, <see cref="PolicyVersion"/>, <see cref="TrainingRun"/>, <see cref="ApiKey"/> or <see cref="Tenant"/>.</summary>
    public string Kind { get; }

    /// <summary>Every missing name the write referred to, in the order it referred to them.</summary>
    public IReadOnlyList<string> Names { get; }

    public const string Model = "model";
    public const string PolicyVersion = "policy version";
    public const string TrainingRun = "training run";
    public const string ApiKey = "API key";
    public const string Tenant = "tenant";

    private static string Describe(string kind, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(names);
        var quoted = string.Join(", ", names.Select(n => $"'{n}'"));
        // Models and policies are registered; a training run is queued, an API key or a tenant created.
        var (one, many) = kind is TrainingRun or ApiKey or Tenant ? ("does not exist", "do not exist") : ("is not registered", "are not registered");
        return names.Count == 1 ? $"{kind} {quoted} {one}" : $"{kind}s {quoted} {many}";
    }
}
