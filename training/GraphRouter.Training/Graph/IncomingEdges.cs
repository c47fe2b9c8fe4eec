using static TorchSharp.torch;

namespace GraphRouter.Training.Graph;

/// <summary>
/// All edges into one destination type, every relation concatenated in schema order.
/// <see cref="PaddedSlots"/> is destination * <see cref="MaxDegree"/> + the edge's position among that destination's edges.
/// </summary>
public sealed record IncomingEdges(Tensor Destinations, Tensor PaddedSlots, int NodeCount, int MaxDegree);
