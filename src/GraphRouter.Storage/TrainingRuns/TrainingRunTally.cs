namespace GraphRouter.Storage.TrainingRuns;

/// <summary>
/// The training runs in one status (<see cref="IGraphStore.GetTrainingRunTalliesAsync"/>): how many there are and,
/// over those that both started and finished, how many and their total seconds from claim to finish. Every run
/// that ends was claimed first, so for SUCCEEDED, REJECTED and FAILED <see cref="Timed"/> equals <see cref="Runs"/>;
/// QUEUED and RUNNING runs have not finished and count no time.
/// </summary>
public sealed record TrainingRunTally(string Status, long Runs, long Timed, double DurationSeconds);
