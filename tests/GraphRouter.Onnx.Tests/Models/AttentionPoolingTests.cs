using GraphRouter.Onnx.Tests.Support;

namespace GraphRouter.Onnx.Tests.Models;

public sealed class AttentionPoolingTests
{
    private static readonly AttentionPoolingEncoder Model = new(features: 24, hidden: 32, seed: 200);
    private static readonly byte[] Graph = Model.Build();
    private static readonly byte[] FoldedGraph = Model.Build(foldKeyIntoQuery: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(300)]
    public void One_users_embedding_matches_the_reference_for_any_history_length(int length)
    {
        var items = TestData.Uniform(201 + length, length * Model.Features, 2);
        var embedding = Encode(items, new long[length], users: 1);
        Expect.Close(Model.Reference(items, new long[length], 1), embedding, [1, Model.Hidden]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(300)]
    public void Folding_the_key_projection_into_the_query_gives_the_same_embedding(int length)
    {
        var items = TestData.Uniform(205 + length, length * Model.Features, 2);
        var embedding = Encode(items, new long[length], users: 1, FoldedGraph);
        Expect.Close(Model.Reference(items, new long[length], 1), embedding, [1, Model.Hidden]);
    }

    [Fact]
    public void A_user_without_history_gets_exactly_the_learned_prior()
    {
        var embedding = Encode([], [], users: 1);
        Assert.Equal(Model.Prior, embedding.Floats);
    }

    [Fact]
    public void Users_of_different_lengths_encode_together_without_padding()
    {
        // Users 0..3 with 5, 0, 300 and 1 items, their rows interleaved in a seeded random order.
        int[] lengths = [5, 0, 300, 1];
        var owners = lengths.SelectMany((count, user) => Enumerable.Repeat((long)user, count)).ToArray();
        new Random(202).Shuffle(owners);
        var items = TestData.Uniform(203, owners.Length * Model.Features, 2);

        var batch = Encode(items, owners, users: lengths.Length);
        Expect.Close(Model.Reference(items, owners, lengths.Length), batch, [lengths.Length, Model.Hidden]);

        // Each row equals that user encoded alone.
        for (var user = 0; user < lengths.Length; user++)
        {
            var rows = Enumerable.Range(0, owners.Length).Where(n => owners[n] == user).ToArray();
            var own = rows.SelectMany(n => items.Skip(n * Model.Features).Take(Model.Features)).ToArray();
            var alone = Encode(own, new long[rows.Length], users: 1);
            Expect.Close(ReferenceMath.ToDouble(alone.Floats), batch.Floats.Skip(user * Model.Hidden).Take(Model.Hidden).ToArray());
        }
    }

    [Fact]
    public void The_embedding_does_not_depend_on_the_order_of_the_history()
    {
        var items = TestData.Uniform(204, 5 * Model.Features, 2);
        var reversed = Enumerable.Range(0, 5).Reverse().SelectMany(n => items.Skip(n * Model.Features).Take(Model.Features)).ToArray();
        var forward = Encode(items, new long[5], users: 1);
        var backward = Encode(reversed, new long[5], users: 1);
        Expect.Close(ReferenceMath.ToDouble(forward.Floats), backward.Floats);
        Assert.NotEqual(Model.Prior, forward.Floats);
    }

    private static HostTensor Encode(float[] items, long[] owners, int users, byte[]? graph = null)
    {
        using var runner = new OrtRunner(graph ?? Graph);
        return runner.Run(new Dictionary<string, HostTensor>
        {
            ["items"] = HostTensor.Float(items, owners.Length, Model.Features),
            ["item_user"] = HostTensor.Int64(owners, owners.Length),
            ["users"] = HostTensor.Int64Scalar(users),
        })["user_embedding"];
    }
}
