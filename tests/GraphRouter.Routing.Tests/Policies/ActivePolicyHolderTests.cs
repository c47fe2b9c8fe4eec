using GraphRouter.Routing.Policies;

namespace GraphRouter.Routing.Tests.Policies;

public sealed class ActivePolicyHolderTests
{
    /// <summary>A policy that records its disposals and any use after disposal.</summary>
    private sealed class TrackedPolicy(int version) : IDisposable
    {
        private int _disposals;
        private int _usesAfterDispose;

        public int Version { get; } = version;
        public int Disposals => Volatile.Read(ref _disposals);
        public int UsesAfterDispose => Volatile.Read(ref _usesAfterDispose);

        public int Use()
        {
            if (Volatile.Read(ref _disposals) != 0)
            {
                Interlocked.Increment(ref _usesAfterDispose);
            }
            return Version;
        }

        public void Dispose() => Interlocked.Increment(ref _disposals);
    }

    [Fact]
    public void A_swap_publishes_at_once_and_disposes_the_old_policy_only_after_its_last_lease()
    {
        var first = new TrackedPolicy(1);
        var second = new TrackedPolicy(2);
        using var holder = new ActivePolicyHolder<TrackedPolicy>(first);

        var lease = holder.Acquire();
        holder.Swap(second);

        Assert.Equal(0, first.Disposals);
        using (var fresh = holder.Acquire())
        {
            Assert.Equal(2, fresh.Policy.Use());
        }
        Assert.Equal(1, lease.Policy.Use());
        lease.Dispose();
        lease.Dispose();
        Assert.Equal(1, first.Disposals);
        Assert.Equal(0, second.Disposals);
        Assert.Equal(1, holder.Swaps);
    }

    [Fact]
    public void A_failed_load_keeps_the_active_policy()
    {
        var first = new TrackedPolicy(1);
        using var holder = new ActivePolicyHolder<TrackedPolicy>(first);

        var replaced = holder.TryReplace(() => throw new InvalidDataException("checksum mismatch"), out var error);

        Assert.False(replaced);
        Assert.IsType<InvalidDataException>(error);
        using var lease = holder.Acquire();
        Assert.Same(first, lease.Policy);
        Assert.Equal(0, first.Disposals);
        Assert.Equal(0, holder.Swaps);
    }

    [Fact]
    public void A_failed_verification_of_a_corrupt_policy_folder_keeps_the_active_policy()
    {
        using var folder = new PolicyFolder("v2");
        File.AppendAllText(folder.FilePath("llm-vectors.json"), " ");
        var first = new TrackedPolicy(1);
        using var holder = new ActivePolicyHolder<TrackedPolicy>(first);

        var replaced = holder.TryReplace(() => new TrackedPolicy(PolicyLoader.Verify(folder.FolderPath).Models.Count), out var error);

        Assert.False(replaced);
        Assert.Equal("llm-vectors.json", Assert.IsType<PolicyArtifactException>(error).File);
        using var lease = holder.Acquire();
        Assert.Same(first, lease.Policy);
    }

    [Fact]
    public void Disposing_the_holder_disposes_the_active_policy_after_its_leases_and_refuses_new_ones()
    {
        var first = new TrackedPolicy(1);
        var holder = new ActivePolicyHolder<TrackedPolicy>(first);
        var lease = holder.Acquire();

        holder.Dispose();

        Assert.Equal(0, first.Disposals);
        Assert.Throws<ObjectDisposedException>(() => holder.Acquire());
        Assert.Throws<ObjectDisposedException>(() => holder.Swap(new TrackedPolicy(2)));
        lease.Dispose();
        Assert.Equal(1, first.Disposals);
    }

    [Fact]
    public void Readers_racing_repeated_swaps_never_see_a_disposed_policy_and_each_old_one_is_disposed_once()
    {
        const int Readers = 6;
        const int SwapCount = 2000;
        var policies = new List<TrackedPolicy> { new(0) };
        using var holder = new ActivePolicyHolder<TrackedPolicy>(policies[0]);
        using var stop = new CancellationTokenSource();
        using var started = new CountdownEvent(Readers);
        var acquisitions = new long[Readers];
        var versionWentBack = new bool[Readers];

        var readers = Enumerable.Range(0, Readers).Select(r => new Thread(() =>
        {
            var lastSeen = -1;
            while (!stop.IsCancellationRequested)
            {
                using var lease = holder.Acquire();
                var version = lease.Policy.Use();
                Thread.SpinWait(20);
                lease.Policy.Use();
                versionWentBack[r] |= version < lastSeen;
                lastSeen = version;
                if (++acquisitions[r] == 1)
                {
                    started.Signal();
                }
            }
        })).ToList();
        readers.ForEach(t => t.Start());
        started.Wait();
        for (var v = 1; v <= SwapCount; v++)
        {
            var next = new TrackedPolicy(v);
            policies.Add(next);
            holder.Swap(next);
            if (v % 100 == 0)
            {
                Thread.Sleep(1);
            }
        }
        stop.Cancel();
        readers.ForEach(t => t.Join());

        Assert.All(acquisitions, a => Assert.True(a > 0));
        Assert.DoesNotContain(true, versionWentBack);
        Assert.All(policies, p => Assert.Equal(0, p.UsesAfterDispose));
        Assert.All(policies.Take(SwapCount), p => Assert.Equal(1, p.Disposals));
        Assert.Equal(0, policies[^1].Disposals);
        Assert.Equal(SwapCount, holder.Swaps);
    }
}
