namespace GraphRouter.Storage.Tests.Contract;

/// <summary>A clock the test sets: the store stamps what it records with <see cref="Now"/>, so timestamps can be asserted exactly.</summary>
public sealed class TestClock : TimeProvider
{
    public TestClock(DateTimeOffset now) => Now = now;

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
