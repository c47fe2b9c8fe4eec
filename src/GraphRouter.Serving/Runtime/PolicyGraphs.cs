namespace GraphRouter.Serving.Runtime;

/// <summary>
/// The contract between <c>graphrouter-train export</c> and <see cref="PolicyRuntime"/>: the files of a policy
/// folder besides its manifest, and the input and output names of its two ONNX graphs. Shapes are written
/// with symbolic dimensions named here; fixed dimensions come from <see cref="PolicyRuntimeSpec"/>.
/// </summary>
public static class PolicyGraphs
{
    public const string UserEncoderFile = "user-encoder.onnx";
    public const string ScorerFile = "scorer.onnx";
    /// <summary>The fitted query encoder's parameters (<c>FittedQueryEncoder.Save</c>'s binary format).</summary>
    public const string QueryEncoderFile = "query-encoder.bin";

    /// <summary>User encoder input: [queries, query dimension] float, the raw encoder vector of each interaction's query, chronological.</summary>
    public const string QueryVectors = "query_vectors";
    /// <summary>User encoder input: [turns] int64, each rated response's interaction (row of <see cref="QueryVectors"/>).</summary>
    public const string TurnQueries = "turn_queries";
    /// <summary>User encoder input: [turns] int64, each rated response's LLM (catalog index).</summary>
    public const string TurnLlms = "turn_llms";
    /// <summary>User encoder input: [turns, response dimension] float, the Response rows.</summary>
    public const string ResponseFeatures = "response_features";
    /// <summary>User encoder input: [1, response dimension] float, the pooled statistic Σ rows / (interactions + prior count).</summary>
    public const string UserStatistic = "user_statistic";
    /// <summary>User encoder output: [1, embedding dimension] float, the user token.</summary>
    public const string UserToken = "user";

    /// <summary>Scorer input: [rows, embedding dimension] float, the user tokens.</summary>
    public const string ScorerUsers = "user";
    /// <summary>Scorer input: [rows, query dimension] float, the raw query vectors.</summary>
    public const string ScorerQueries = "query";
    /// <summary>Scorer input: [rows, candidates] int64, candidate catalog indices.</summary>
    public const string Candidates = "candidates";
    /// <summary>Scorer input: [rows, candidates, candidate dimension] float, φ(llm, q) of each candidate.</summary>
    public const string CandidateFeatures = "candidate_features";
    /// <summary>Scorer output: [rows, candidates] float.</summary>
    public const string Scores = "scores";

    /// <summary>Symbolic dimension names.</summary>
    public const string QueriesDim = "queries";
    public const string TurnsDim = "turns";
    public const string RowsDim = "rows";
    public const string CandidatesDim = "candidates";
}
