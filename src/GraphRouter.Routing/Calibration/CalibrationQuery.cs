using GraphRouter.Routing.Decisions;

namespace GraphRouter.Routing.Calibration;

/// <summary>One query of a calibration set: its text and every candidate's score and expected cost for it.</summary>
public sealed record CalibrationQuery
{
    public required string Query { get; init; }
    public required IReadOnlyList<CandidateEstimate> Candidates { get; init; }
}
