using GraphRouter.Core.Datasets;
using GraphRouter.Serving;
using GraphRouter.Serving.Engine;
using GraphRouter.Storage;

namespace GraphRouter.Cli.Commands;

/// <summary>
/// The engine over an open store, prepared as the service prepares it on start: migrations, the bundled
/// dataset imported into an empty store, the bundled policies registered and the default activated.
/// Service errors become a message and <see cref="ExitCodes.BadData"/> (bad input: nothing changed).
/// </summary>
internal static class EngineSession
{
    /// <summary>
    /// Engine options for a command that runs once and exits (route, policy, calibrate): it does not follow
    /// the store's change feed, which only a long-running server needs.
    /// </summary>
    public static EngineOptions OneShot { get; } = new() { FollowChanges = false };

    /// <summary>The bundled routerbench folder and the bundled policies folder.</summary>
    public static (string Dataset, string Policies) BundledAssets()
    {
        var root = BundledData.Root();
        return (Path.Combine(root, "routerbench"), Path.Combine(root, "policies"));
    }

    public static async Task<int> RunAsync(
        IGraphStore store, TextWriter output, TextWriter error, EngineOptions options,
        Func<RouterEngine, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        var (dataset, policies) = BundledAssets();
        // Preparation progress goes to stderr, so stdout carries only the command's own output (e.g. --json).
        await ServiceBootstrap.PrepareAsync(store, dataset, policies, error, cancellationToken);
        // The engine follows the store's change feed; what it reports (policies swapped in, resyncs) goes to stderr.
        using var engine = new RouterEngine(store, options, log: error);
        await engine.StartAsync(cancellationToken);
        try
        {
            return await work(engine, cancellationToken);
        }
        catch (ServiceException e)
        {
            await error.WriteLineAsync($"{e.Code}: {e.Message}");
            return e.Code == ServiceErrorCode.Unavailable ? ExitCodes.Failed : ExitCodes.BadData;
        }
        finally
        {
            await output.FlushAsync(CancellationToken.None);
        }
    }
}
