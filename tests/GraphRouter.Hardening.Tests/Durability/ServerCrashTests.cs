using System.Collections.Concurrent;
using System.Globalization;
using GraphRouter.Hardening.Tests.Support;
using GraphRouter.Storage.Tests.Postgres;
using Xunit.Abstractions;

namespace GraphRouter.Hardening.Tests.Durability;

/// <summary>
/// Feedback acknowledged by the running service survives the service being killed with SIGKILL in the middle of a
/// stream of concurrent submitFeedback calls. Each round: several clients submit feedback with fresh idempotency
/// keys; once enough are acknowledged the server is killed while calls are still in flight; the store is then read
/// directly (every acknowledged feedback there exactly once, none half written); the server is restarted on the
/// same store and every request ever sent is replayed with its key (an acknowledged one answers duplicate: true),
/// after which every key is stored exactly once.
/// </summary>
public abstract class ServerCrashTests(ServedStore store, ITestOutputHelper output)
{
    private const int Rounds = 3;
    private const int Clients = 4;
    private const int AcksBeforeKill = 30;
    private const string Feedback = "mutation($input: FeedbackInput!) { submitFeedback(input: $input) { accepted duplicate userInteractions } }";

    [StoreFact]
    public async Task Acknowledged_feedback_survives_SIGKILL_of_the_server_and_replays_are_duplicates()
    {
        var server = await ServeProcess.StartAsync(store.Store);
        try
        {
            var models = (await GraphQLReply.PostAsync(server.Client, "{ models { name available knownToPolicy } }")).Data("models")
                .EnumerateArray().Where(m => m.GetProperty("available").GetBoolean()).Select(m => m.GetProperty("name").GetString()!).Take(2).ToArray();
            Assert.Equal(2, models.Length);
            var interactionsBefore = long.Parse((await store.QueryAsync("SELECT COUNT(*) FROM interactions"))[0][0], CultureInfo.InvariantCulture);
            var sent = new List<SentFeedback>();
            var acknowledgedTotal = 0;
            for (var round = 1; round <= Rounds; round++)
            {
                var thisRound = await SubmitUntilKilledAsync(server, round, models);
                Assert.Equal(137, server.ExitCode);
                await server.DisposeAsync();
                sent.AddRange(thisRound);
                var acknowledged = thisRound.Count(s => s.Acknowledged);
                acknowledgedTotal += acknowledged;
                Assert.True(acknowledged >= AcksBeforeKill, $"round {round}: {acknowledged} acknowledged");

                // Straight after the kill: every acknowledged feedback is there once and whole; an unacknowledged one is there whole or not at all.
                var afterKill = await StoredAsync(sent);
                Assert.All(sent.Where(s => s.Acknowledged), s => Assert.Equal(1, afterKill.GetValueOrDefault(s.Key)));
                Assert.All(sent, s => Assert.InRange(afterKill.GetValueOrDefault(s.Key), 0, 1));

                server = await ServeProcess.StartAsync(store.Store);
                foreach (var feedback in sent)
                {
                    var replay = (await GraphQLReply.PostAsync(server.Client, Feedback, new { input = feedback.Input })).Data("submitFeedback");
                    Assert.True(replay.GetProperty("accepted").GetBoolean());
                    if (feedback.Acknowledged || afterKill.ContainsKey(feedback.Key))
                    {
                        Assert.True(replay.GetProperty("duplicate").GetBoolean(), $"replay of {feedback.Key} was not a duplicate");
                    }
                }

                var afterReplay = await StoredAsync(sent);
                Assert.All(sent, s => Assert.Equal(1, afterReplay.GetValueOrDefault(s.Key)));
                var interactions = long.Parse((await store.QueryAsync("SELECT COUNT(*) FROM interactions"))[0][0], CultureInfo.InvariantCulture);
                Assert.Equal(interactionsBefore + sent.Count, interactions);
                output.WriteLine($"round {round}: {thisRound.Count} sent, {acknowledged} acknowledged before SIGKILL, " +
                    $"{afterKill.Count - (sent.Count - thisRound.Count)} of this round stored after the kill, all {sent.Count} sent so far stored once after replay");
            }

            output.WriteLine($"{Rounds} kill rounds survived; {acknowledgedTotal} acknowledged feedbacks, 0 lost, 0 duplicated, 0 half written");
        }
        catch
        {
            output.WriteLine(server.RecentOutput);
            throw;
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// Runs <see cref="Clients"/> clients that submit feedback back to back until the server dies; SIGKILLs it once
    /// <see cref="AcksBeforeKill"/> are acknowledged (the others are then in flight or about to be sent).
    /// </summary>
    private static async Task<List<SentFeedback>> SubmitUntilKilledAsync(ServeProcess server, int round, string[] models)
    {
        var sent = new ConcurrentBag<SentFeedback>();
        var acknowledged = 0;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var n = 0; ; n++)
            {
                var feedback = SentFeedback.Create(round, client, n, models);
                GraphQLReply reply;
                try
                {
                    reply = await GraphQLReply.PostAsync(server.Client, Feedback, new { input = feedback.Input });
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    // The server died with this request in flight (or before it): not acknowledged.
                    sent.Add(feedback);
                    return;
                }

                var result = reply.Data("submitFeedback");
                Assert.True(result.GetProperty("accepted").GetBoolean());
                Assert.False(result.GetProperty("duplicate").GetBoolean());
                sent.Add(feedback with { Acknowledged = true });
                if (Interlocked.Increment(ref acknowledged) == AcksBeforeKill)
                {
                    await server.KillAsync();
                    killed.SetResult();
                }
            }
        })).ToList();
        await Task.WhenAll(clients);
        await killed.Task;
        return [.. sent];
    }

    /// <summary>
    /// How many times each sent key is stored, read from the store itself: the key's row, its interaction and the
    /// interaction's turns must all be there (a key whose interaction lacks a turn fails the test as half written);
    /// the users' histories, read through the store's own method, must agree.
    /// </summary>
    private async Task<Dictionary<string, int>> StoredAsync(IReadOnlyList<SentFeedback> sent)
    {
        var rows = await store.QueryAsync(
            "SELECT k.idempotency_key, COUNT(t.interaction_id) FROM feedback_keys k LEFT JOIN turns t ON t.interaction_id = k.interaction_id " +
            "WHERE k.idempotency_key LIKE 'crash-%' GROUP BY k.idempotency_key");
        var stored = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            Assert.True(row[1] == "2", $"feedback {row[0]} is half written: {row[1]} of 2 turns");
            stored[row[0]] = 1;
        }

        await using var graph = await store.OpenAsync();
        var byQuery = sent.ToDictionary(s => s.Query, s => s, StringComparer.Ordinal);
        var inHistory = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var user in sent.Select(s => s.User).Distinct())
        {
            foreach (var entry in await graph.GetUserHistoryAsync(Storage.Tenancy.TenantUser.InDefaultTenant(user), 100_000))
            {
                var feedback = byQuery[entry.QueryText];
                Assert.Equal(feedback.Ratings, entry.Responses.Select(r => (r.Llm, r.Rating)).OrderBy(r => r.Llm, StringComparer.Ordinal).ToArray());
                inHistory[feedback.Key] = inHistory.GetValueOrDefault(feedback.Key) + 1;
            }
        }

        Assert.Equal(stored.OrderBy(s => s.Key, StringComparer.Ordinal), inHistory.OrderBy(s => s.Key, StringComparer.Ordinal));
        return inHistory;
    }

    /// <summary>One submitFeedback request as sent, and whether the server acknowledged it.</summary>
    private sealed record SentFeedback(string Key, string User, string Query, (string Llm, double Rating)[] Ratings, object Input, bool Acknowledged)
    {
        public static SentFeedback Create(int round, int client, int n, string[] models)
        {
            var key = $"crash-r{round}-c{client}-{n}";
            var user = $"crash-user-{client}";
            var query = $"crash round {round} client {client} question {n}";
            var ratings = models.Select((m, i) => (m, (double)(1 + ((n + i * 3) % 10)))).OrderBy(r => r.m, StringComparer.Ordinal).ToArray();
            var input = new
            {
                idempotencyKey = key,
                userId = user,
                query,
                responses = ratings.Select(r => new { model = r.m, rating = r.Item2, text = $"answer of {r.m} to {query}" }).ToArray(),
            };
            return new SentFeedback(key, user, query, ratings, input, Acknowledged: false);
        }
    }
}

public sealed class SqliteServerCrashTests(SqliteServedStore store, ITestOutputHelper output) : ServerCrashTests(store, output), IClassFixture<SqliteServedStore>;

[RequiresPostgres]
public sealed class PostgresServerCrashTests(PostgresServedStore store, ITestOutputHelper output) : ServerCrashTests(store, output), IClassFixture<PostgresServedStore>;
