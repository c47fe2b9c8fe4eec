using System.Globalization;
using GraphRouter.Core.Datasets;
using GraphRouter.Core.Domain;

namespace GraphRouter.Training.Training;

/// <summary>
/// <see cref="TrainingConfig.ShuffleRatings"/>: the same dataset with the rating values of each interaction
/// permuted among its responses (the LLMs, prompts and outcomes stay). What the ratings said about which answer
/// the user preferred is gone, so a model trained on it is worse by construction. Seeded and order-independent:
/// each interaction's permutation comes from the seed and the interaction's own key.
/// </summary>
public static class RatingShuffle
{
    public static PreferenceDataset Apply(PreferenceDataset data, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var interactions = data.Interactions.Select(i => Shuffle(i, seed)).ToList();
        return new PreferenceDataset(data.Name, data.Version, data.Scale, data.Llms, data.Tasks, data.Queries, data.Outcomes, interactions);
    }

    private static Interaction Shuffle(Interaction interaction, int seed)
    {
        if (interaction.Ratings.Count < 2)
        {
            return interaction;
        }
        var random = new Random(unchecked((seed * 1_000_003) ^ StableHash(string.Create(CultureInfo.InvariantCulture, $"{interaction.User}\n{interaction.Conversation}\n{interaction.Step}"))));
        var values = interaction.Ratings.Select(r => r.Rating).ToArray();
        random.Shuffle(values);
        return interaction with { Ratings = interaction.Ratings.Select((r, i) => r with { Rating = values[i] }).ToList() };
    }

    /// <summary>FNV-1a over the UTF-16 code units (string.GetHashCode and HashCode differ per process).</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)hash;
    }
}
