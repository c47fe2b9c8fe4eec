using GraphRouter.Core.Domain;
using GraphRouter.Evaluation.Splits;

namespace GraphRouter.Evaluation.Tests.Splits;

public sealed class EvaluationSplitTests
{
    private static EvaluationSplit Split => TestData.Split;

    private static (string, string, int) Key(Interaction i) => (i.User, i.Conversation, i.Step);

    [Fact]
    public void Training_never_sees_a_validation_or_test_prompt_nor_a_held_out_user()
    {
        var held = Split.NewUsers.Concat(Split.ValidationUsers).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(Split.Train);
        Assert.All(Split.Train, i =>
        {
            Assert.Contains(i.QueryId, Split.TrainQueries);
            Assert.DoesNotContain(i.QueryId, Split.TestQueries);
            Assert.DoesNotContain(i.QueryId, Split.ValidationQueries);
            Assert.DoesNotContain(i.User, held);
        });
        Assert.Empty(Split.TrainQueries.Intersect(Split.TestQueries));
        Assert.Empty(Split.TrainQueries.Intersect(Split.ValidationQueries));
        Assert.Empty(Split.NewUsers.Intersect(Split.KnownUsers));
        Assert.Empty(Split.ValidationUsers.Intersect(Split.KnownUsers));
    }

    [Fact]
    public void Targets_are_never_in_a_history_nor_in_training()
    {
        var train = Split.Train.Select(Key).ToHashSet();
        foreach (var c in Split.KnownUserCases.Concat(Split.NewUserCases).Concat(Split.ValidationUserCases).Concat(Split.KnownUserValidationCases))
        {
            var history = c.History.Select(Key).ToHashSet();
            Assert.All(c.Targets, t =>
            {
                Assert.Equal(c.User, t.User);
                Assert.DoesNotContain(Key(t), history);
                Assert.DoesNotContain(Key(t), train);
            });
        }
    }

    [Fact]
    public void Targets_lie_on_the_right_prompts()
    {
        Assert.All(Split.KnownUserCases.SelectMany(c => c.Targets), t => Assert.Contains(t.QueryId, Split.TestQueries));
        Assert.All(Split.NewUserCases.SelectMany(c => c.Targets), t => Assert.Contains(t.QueryId, Split.TestQueries));
        Assert.All(Split.ValidationUserCases.SelectMany(c => c.Targets), t => Assert.Contains(t.QueryId, Split.ValidationQueries));
        Assert.All(Split.KnownUserValidationCases.SelectMany(c => c.Targets), t => Assert.Contains(t.QueryId, Split.ValidationQueries));
    }

    [Fact]
    public void Known_user_targets_come_after_their_history()
    {
        var withTargets = Split.KnownUserCases.Where(c => c.Targets.Count > 0 && c.History.Count > 0).ToList();
        Assert.NotEmpty(withTargets);
        Assert.All(withTargets, c => Assert.True(c.Targets.Min(t => t.Timestamp) > c.History.Max(h => h.Timestamp), c.User));
    }

    [Fact]
    public void New_users_history_is_their_first_interactions_and_every_k_keeps_the_same_targets()
    {
        var start = Split.Config.FewShotTargetStart;
        foreach (var c in Split.NewUserCases)
        {
            var all = Split.Data.Interactions.Where(i => i.User == c.User).ToList();
            Assert.Equal(all.Take(start).Select(Key), c.History.Select(Key));
            foreach (var k in Split.Config.FewShotKs)
            {
                var shown = c.WithHistory(k);
                Assert.Same(c.Targets, shown.Targets);
                Assert.Equal(Math.Min(k, c.History.Count), shown.History.Count);
                Assert.Equal(c.History.Take(k).Select(Key), shown.History.Select(Key));
            }
        }
        Assert.True(Split.NewUserCases.Sum(c => c.Targets.Count) > 100);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var again = EvaluationSplit.Create(Split.Data, new SplitConfig());
        Assert.Equal(Split.TestQueries.Order(), again.TestQueries.Order());
        Assert.Equal(Split.NewUsers, again.NewUsers);
        Assert.Equal(Split.Train.Select(Key), again.Train.Select(Key));
        Assert.Equal(Split.KnownUserCases.SelectMany(c => c.Targets).Select(Key), again.KnownUserCases.SelectMany(c => c.Targets).Select(Key));

        var other = EvaluationSplit.Create(Split.Data, new SplitConfig { Seed = 18 });
        Assert.NotEqual(Split.NewUsers, other.NewUsers);
    }

    [Fact]
    public void Fractions_are_roughly_as_configured()
    {
        var queries = Split.Data.Queries.Count;
        Assert.InRange(Split.TestQueries.Count / (double)queries, 0.21, 0.29);
        Assert.InRange(Split.ValidationQueries.Count / (double)queries, 0.07, 0.13);
        Assert.InRange(Split.NewUsers.Count / 600.0, 0.15, 0.25);
    }
}
