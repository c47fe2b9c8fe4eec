namespace GraphRouter.Storage.TrainingRuns;

/// <summary>
/// The training runs in one status (<see cref="IGraphStore.GetTrainingRunTalliesAsync"/>): how many there are and the
/// total seconds from claim to finish of those that finished. Every run that ends was claimed first, so for
/// SUCCEEDED, REJECTED and FAILED the duration covers every run; QUEUED and RUNNING runs count no time.
/// </summary>
public sealed record TrainingRunTally(string Status, long Runs, double DurationSeconds);
