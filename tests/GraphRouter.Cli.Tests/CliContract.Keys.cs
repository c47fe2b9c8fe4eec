using System.Security.Cryptography;
using System.Text;
using GraphRouter.Storage;

namespace GraphRouter.Cli.Tests;

/// <summary>graphrouter keys create|list|revoke on each backend.</summary>
public abstract partial class CliContract
{
    [Fact]
    public async Task Keys_create_prints_the_key_once_list_never_shows_it_and_revoke_ends_it()
    {
        var name = "cli-" + Guid.NewGuid().ToString("N")[..10];

        var created = await Graphrouter.RunInProcessAsync("keys", "create", "--name", name, "--role", "app", "--store", _store.Store);
        var key = created.Output.Trim();
        var duplicate = await Graphrouter.RunInProcessAsync("keys", "create", "--name", name, "--role", "admin", "--store", _store.Store);
        var badRole = await Graphrouter.RunInProcessAsync("keys", "create", "--name", "x", "--role", "root", "--store", _store.Store);
        var badName = await Graphrouter.RunInProcessAsync("keys", "create", "--name", "has space", "--role", "app", "--store", _store.Store);
        var listed = await Graphrouter.RunInProcessAsync("keys", "list", "--store", _store.Store);
        var revoked = await Graphrouter.RunInProcessAsync("keys", "revoke", name, "--store", _store.Store);
        var unknown = await Graphrouter.RunInProcessAsync("keys", "revoke", "no-such-key", "--store", _store.Store);
        var listedAfter = await Graphrouter.RunInProcessAsync("keys", "list", "--store", _store.Store);

        Assert.Equal(0, created.ExitCode);
        Assert.Matches("^gr_[A-Za-z0-9_-]{43}$", key);
        Assert.Contains("shown only this once", created.Error, StringComparison.Ordinal);
        Assert.Contains("of tenant 'default'", created.Error, StringComparison.Ordinal);
        Assert.Equal(3, duplicate.ExitCode);
        Assert.Contains($"'{name}'", duplicate.Error, StringComparison.Ordinal);
        Assert.Equal(2, badRole.ExitCode);
        Assert.Equal(2, badName.ExitCode);
        Assert.Equal(0, listed.ExitCode);
        var line = listed.Output.Split('\n').Single(l => l.Contains(name, StringComparison.Ordinal));
        Assert.Matches($"^key_[0-9a-f]{{12}} +{name} +app +default +\\d{{4}}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +-", line);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, revoked.ExitCode);
        Assert.StartsWith($"revoked app key '{name}'", revoked.Output, StringComparison.Ordinal);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("API key 'no-such-key' does not exist", unknown.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(" -\\s*$", listedAfter.Output.Split('\n').Single(l => l.Contains(name, StringComparison.Ordinal)));

        await using var store = await GraphStoreFactory.OpenAsync(StoreLocation.Parse(_store.Store));
        var stored = (await store.GetApiKeysAsync()).Single(k => k.Name == name);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), stored.SecretHash);
        Assert.True(stored.IsRevoked);
    }
}
