namespace GraphRouter.Serving.Tests;

/// <summary>
/// Polls a condition until it holds (every 20 ms), failing the test with what never happened once the limit has
/// passed. The limit only keeps a broken build from hanging; nothing asserts on elapsed time.
/// </summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"never happened: {what}");
            }
            await Task.Delay(20);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan limit) =>
        HoldsAsync(() => Task.FromResult(condition()), what, limit);
}
