namespace GraphRouter.Evaluation.Harness;

/// <summary>The sizes of the evaluated split, for the report.</summary>
public sealed record SplitSummary
{
    public required int Seed { get; init; }
    public required int TrainQueries { get; init; }
    public required int ValidationQueries { get; init; }
    public required int TestQueries { get; init; }
    public required int KnownUsers { get; init; }
    public required int ValidationUsers { get; init; }
    public required int NewUsers { get; init; }
    public required int TrainInteractions { get; init; }
    public required int TrainPairs { get; init; }
    public required IReadOnlyList<int> FewShotKs { get; init; }
}
