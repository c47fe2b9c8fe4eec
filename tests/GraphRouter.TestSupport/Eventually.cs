using Xunit;

namespace GraphRouter.TestSupport;

/// <summary>
/// Polls until a condition holds (every 20 ms), failing the test with what never happened once the limit has passed.
/// The limit only keeps a broken build from hanging; nothing asserts on elapsed time.
/// </summary>
public static class Eventually
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

    /// <summary>Reads until <paramref name="condition"/> holds for the value read, and returns that value; the failure names the last value and <paramref name="context"/>'s text.</summary>
    public static async Task<T> ReadsAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan limit, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"never happened: {what}; last {value}{(context is null ? "" : "; " + context())}");
            }
            await Task.Delay(20);
        }
    }
}
