using System.Collections.Concurrent;
using System.Text.Json;
using CsCheck;
using GraphRouter.Hardening.Tests.Support;
using GraphRouter.Storage.Tests.Postgres;
using Xunit.Abstractions;

namespace GraphRouter.Hardening.Tests.BadInput;

/// <summary>
/// Property: whatever arrives at /graphql of the running service (graphrouter serve over a real store), the answer is
/// a 4xx, or a 200 whose errors all carry <c>extensions.code</c>; never a 5xx, never INTERNAL_SERVER_ERROR, never a
/// dropped connection, and never data without an error (every generated request has a defect). Afterwards the store
/// holds exactly what it held before. Bounded sample counts keep each run to seconds; the counts are printed.
/// </summary>
public abstract class BadInputTests(ServedStore store, ITestOutputHelper output)
{
    private const int DocumentSamples = 400;
    private const int VariableSamples = 500;
    private const int TransportSamples = 400;
    private const long MaxRequestBodyBytes = 1024 * 1024;

    [StoreFact]
    public async Task Hostile_requests_get_coded_client_errors_and_change_nothing()
    {
        await using var server = await ServeProcess.StartAsync(store.Store);
        var before = await store.StatsAsync();
        var codes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var sent = 0;
        try
        {
            foreach (var (name, gen, samples) in new[]
            {
                ("documents", HostileRequests.BadDocuments, DocumentSamples),
                ("variables", HostileRequests.BadVariables, VariableSamples),
                ("transport", HostileRequests.BadTransport, TransportSamples),
            })
            {
                await gen.SampleAsync(async request =>
                {
                    Interlocked.Increment(ref sent);
                    foreach (var code in await SendAndCheckAsync(server, request))
                    {
                        codes.AddOrUpdate(code, 1, (_, n) => n + 1);
                    }
                }, iter: samples, threads: 2);
                output.WriteLine($"{name}: {samples} samples");
            }
        }
        catch
        {
            output.WriteLine(server.RecentOutput);
            throw;
        }

        output.WriteLine($"{sent} hostile requests; answers by code: {string.Join(", ", codes.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}"))}");
        Assert.Equal(DocumentSamples + VariableSamples + TransportSamples, sent);
        Assert.Equal(before, await store.StatsAsync());
        // The server is still healthy after all that.
        var healthy = await GraphQLReply.PostAsync(server.Client, "{ models { name } }");
        Assert.True(healthy.Data("models").GetArrayLength() > 0);
    }

    /// <summary>Sends one request and checks the property; returns the error codes (or the bare status) it got.</summary>
    private static async Task<IReadOnlyList<string>> SendAndCheckAsync(ServeProcess server, HostileRequest request)
    {
        GraphQLReply reply;
        try
        {
            reply = await GraphQLReply.SendAsync(server.Client, new HttpMethod(request.Method), request.Body, request.ContentType, request.Accept, request.QueryString);
        }
        catch (HttpRequestException e) when (request.Body?.Length > MaxRequestBodyBytes && e.InnerException is IOException)
        {
            // A body over the limit is answered 413 as soon as its Content-Length is read, and the connection closed
            // without reading the rest; HttpClient, still uploading, sees the close as a broken pipe. That is a refusal.
            return ["413 (closed while uploading)"];
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new InvalidOperationException($"connection failed for {request}", e);
        }

        if (reply.Status >= 500)
        {
            Assert.Fail($"{reply} for {request}");
        }

        if (reply.Status is < 400 and not 200)
        {
            Assert.Fail($"unexpected {reply} for {request}");
        }

        if (reply.MediaType is not ("application/json" or HostileRequest.GraphQLResponseJson))
        {
            // Refused before the GraphQL handler (Kestrel's own 4xx): nothing more to check.
            Assert.True(reply.Status >= 400, $"{reply} for {request}");
            return [reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }

        var json = JsonDocument.Parse(reply.Text).RootElement;
        Assert.True(json.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0, $"no error in {reply} for {request}");
        var codes = new List<string>();
        foreach (var error in errors.EnumerateArray())
        {
            var code = error.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("code", out var c) ? c.GetString() : null;
            Assert.False(string.IsNullOrEmpty(code), $"an error without extensions.code in {reply} for {request}");
            Assert.True(code != "INTERNAL_SERVER_ERROR", $"{reply} for {request}");
            codes.Add(code!);
        }

        return codes;
    }
}

public sealed class SqliteBadInputTests(SqliteServedStore store, ITestOutputHelper output) : BadInputTests(store, output), IClassFixture<SqliteServedStore>;

[RequiresPostgres]
public sealed class PostgresBadInputTests(PostgresServedStore store, ITestOutputHelper output) : BadInputTests(store, output), IClassFixture<PostgresServedStore>;
