using GraphRouter.Training.Graph;
using static TorchSharp.torch;

namespace GraphRouter.Training.Model;

/// <summary>
/// What one forward pass scores: users' history graphs, and rows (user index in the graph, query vector,
/// candidate LLM indices) to score. The rows' ratings are never in the graph.
/// </summary>
/// <param name="RowUsers">[rows]: index of each row's user among the graph's User nodes.</param>
/// <param name="RowQueries">[rows, encoder dimension]</param>
/// <param name="Candidates">[rows, candidates]: LLM indices.</param>
/// <param name="CandidateFeatures">[rows, candidates, φ dimension]: each candidate's φ(llm, q) (see NodeFeaturizer).</param>
public sealed record PreferenceBatch(GraphTensors Graph, Tensor RowUsers, Tensor RowQueries, Tensor Candidates, Tensor CandidateFeatures);
