namespace GraphRouter.Evaluation.Metrics;

/// <summary>Pure metrics over scored pairs (see <see cref="ScoredPair"/> for the orientation).</summary>
public static class PairwiseMetrics
{
    /// <summary>Share of pairs ordered correctly; a predicted tie counts 0.5. NaN when there are no pairs.</summary>
    public static double Accuracy(IReadOnlyList<ScoredPair> pairs)
    {
        if (pairs.Count == 0)
        {
            return double.NaN;
        }
        double sum = 0;
        foreach (var p in pairs)
        {
            sum += p.Credit;
        }
        return sum / pairs.Count;
    }

    /// <summary>
    /// Area under the ROC curve of margin against label: the Mann-Whitney statistic with average ranks
    /// for tied margins (a tie between a positive and a negative counts 0.5). NaN unless both labels occur.
    /// </summary>
    public static double Auc(IReadOnlyList<ScoredPair> pairs)
    {
        var positives = 0L;
        foreach (var p in pairs)
        {
            if (p.FirstPreferred)
            {
                positives++;
            }
        }
        var negatives = pairs.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }
        var order = new int[pairs.Count];
        var margins = new double[pairs.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            margins[i] = pairs[i].Margin;
        }
        Array.Sort(margins, order);
        double positiveRankSum = 0;
        var start = 0;
        while (start < margins.Length)
        {
            var end = start;
            while (end + 1 < margins.Length && margins[end + 1] == margins[start])
            {
                end++;
            }
            // Ranks start..end (1-based start+1..end+1) share their average.
            var averageRank = (start + end + 2) / 2.0;
            for (var i = start; i <= end; i++)
            {
                if (pairs[order[i]].FirstPreferred)
                {
                    positiveRankSum += averageRank;
                }
            }
            start = end + 1;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Each user's AUC, for users whose pairs hold both labels, keyed by user.</summary>
    public static IReadOnlyDictionary<string, double> PerUserAuc(IReadOnlyList<ScoredPair> pairs)
    {
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var group in pairs.GroupBy(p => p.User, StringComparer.Ordinal))
        {
            var auc = Auc(group.ToList());
            if (!double.IsNaN(auc))
            {
                result[group.Key] = auc;
            }
        }
        return result;
    }

    /// <summary>The mean of <see cref="PerUserAuc"/> (users with both label classes only); NaN when none qualifies.</summary>
    public static double MeanPerUserAuc(IReadOnlyList<ScoredPair> pairs)
    {
        var perUser = PerUserAuc(pairs);
        return perUser.Count == 0 ? double.NaN : perUser.Values.Average();
    }
}
