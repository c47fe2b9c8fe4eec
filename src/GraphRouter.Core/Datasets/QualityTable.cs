using GraphRouter.Core.Domain;

namespace GraphRouter.Core.Datasets;

/// <summary>
/// A catalog of LLMs with prices and a table of measured per-prompt quality (the llmrouter-dc format):
/// no users, no per-response costs.
/// </summary>
public sealed class QualityTable
{
    public QualityTable(IReadOnlyList<LlmInfo> catalog, IReadOnlyList<QualityRow> train, IReadOnlyList<QualityRow> test)
    {
        Catalog = catalog;
        Train = train;
        Test = test;
        ScoredLlms = train.Concat(test).SelectMany(r => r.Scores.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every LLM of the catalog, with description and per-million-token prices.</summary>
    public IReadOnlyList<LlmInfo> Catalog { get; }
    /// <summary>The LLMs that have measured scores (a subset of the catalog).</summary>
    public IReadOnlyList<string> ScoredLlms { get; }
    public IReadOnlyList<QualityRow> Train { get; }
    public IReadOnlyList<QualityRow> Test { get; }
}

/// <summary>One prompt and each scored LLM's measured quality on it, in [0, 1].</summary>
public sealed record QualityRow(string Id, string Text, IReadOnlyDictionary<string, double> Scores);
