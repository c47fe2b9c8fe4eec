using GraphRouter.Core.Datasets;
using GraphRouter.Storage;
using Npgsql;

namespace GraphRouter.Cli.Commands;

/// <summary>Opens the store a command names, runs the command's work, and turns failures into a message and an exit code.</summary>
internal static class StoreCommandRunner
{
    public static Task<int> RunAsync(
        StoreLocation location, TextWriter output, TextWriter error,
        Func<IGraphStore, CancellationToken, Task<int>> work, CancellationToken cancellationToken) =>
        RunAsync(location, GraphStoreOptions.Default, output, error, work, cancellationToken);

    /// <summary>
    /// For the store-management commands (keys, tenants): opens and migrates the store and runs the work, with the
    /// store's refusals as exit codes: an <see cref="ArgumentException"/> (a bad name or value) is a usage error, a
    /// <see cref="StoreConflictException"/> or <see cref="StoreNotFoundException"/> bad data; nothing is written in
    /// either case.
    /// </summary>
    public static Task<int> RunMigratedAsync(
        StoreLocation location, TextWriter output, TextWriter error,
        Func<IGraphStore, CancellationToken, Task<int>> work, CancellationToken cancellationToken) =>
        RunAsync(location, output, error, async (graph, t) =>
        {
            await graph.MigrateAsync(t);
            try
            {
                return await work(graph, t);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is StoreConflictException or StoreNotFoundException)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.BadData;
            }
        }, cancellationToken);

    public static async Task<int> RunAsync(
        StoreLocation location, GraphStoreOptions options, TextWriter output, TextWriter error,
        Func<IGraphStore, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var store = await GraphStoreFactory.OpenAsync(location, options, cancellationToken);
            return await work(store, cancellationToken);
        }
        catch (DatasetFormatException e)
        {
            await error.WriteLineAsync(e.Message);
            await error.WriteLineAsync("nothing was written to the store.");
            return ExitCodes.BadData;
        }
        catch (StoreUnavailableException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.StoreUnreachable;
        }
        catch (NpgsqlException e) when (e.IsTransient || e.InnerException is IOException or System.Net.Sockets.SocketException)
        {
            await error.WriteLineAsync($"the PostgreSQL store stopped answering: {e.Message}");
            return ExitCodes.StoreUnreachable;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled; nothing was written by the unfinished step.");
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            await error.WriteLineAsync($"failed: {e.Message}");
            await output.FlushAsync(cancellationToken);
            return ExitCodes.Failed;
        }
    }
}
