using GraphRouter.Core.Datasets;
using GraphRouter.LoadGenerator;

// graphrouter-load: measures a running `graphrouter serve` over loopback.
// Every command takes [--key KEY] (default: $GRAPHROUTER_API_KEY), the API key sent as a bearer token; an admin key
// for propagation (it activates policies), an app key suffices for load and curve.
//   graphrouter-load load  --url http://127.0.0.1:5080 [--workers 8] [--seconds 20] [--warmup 5] [--pid PID] [--out FILE]
//   graphrouter-load curve --url http://127.0.0.1:5080 [--out FILE]
//   graphrouter-load rates --url http://127.0.0.1:5080 [--rates 100,200,400,800] [--seconds 15] [--warmup 3] [--users 16] [--pid PID] [--out FILE]
//   graphrouter-load sustained --url http://127.0.0.1:5080 [--minutes 5] [--workers 8] [--window 10] [--feedback-share 0.2] [--pid PID] [--store STORE] [--plot FILE] [--out FILE]
//   graphrouter-load propagation --a http://127.0.0.1:8080 --b http://127.0.0.1:8081 [--n 200] [--activations 50] [--store STORE] [--out FILE]
// Exit codes: 0 ok; 1 a request failed; 2 usage.
if (args.Length == 0 || args[0] is not ("load" or "curve" or "rates" or "propagation" or "sustained"))
{
    Console.Error.WriteLine("usage: graphrouter-load load --url URL [--key KEY] [--workers N] [--seconds S] [--warmup S] [--pid SERVER_PID] [--out FILE]");
    Console.Error.WriteLine("       graphrouter-load curve --url URL [--key KEY] [--out FILE]");
    Console.Error.WriteLine("       graphrouter-load rates --url URL [--key KEY] [--rates 100,200,400,800] [--seconds 15] [--warmup 3] [--users 16] [--pid SERVER_PID] [--out FILE]");
    Console.Error.WriteLine("       graphrouter-load sustained --url URL [--key KEY] [--minutes 5] [--workers 8] [--window 10] [--feedback-share 0.2] [--pid PID] [--store STORE] [--plot FILE] [--out FILE]");
    Console.Error.WriteLine("       graphrouter-load propagation --a URL --b URL [--n 200] [--activations 50] [--store STORE] [--out FILE]");
    return 2;
}
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var url = new Uri(Option("--url", "http://127.0.0.1:5080"));
if (Option("--key", "") is { Length: > 0 } apiKey)
{
    Environment.SetEnvironmentVariable(GraphQLClient.ApiKeyVariable, apiKey);
}
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(GraphQLClient.ApiKeyVariable)))
{
    Console.Error.WriteLine("no API key: pass --key KEY or set GRAPHROUTER_API_KEY (graphrouter keys create --name load --role admin)");
    return 2;
}
var data = RouterBenchReader.Load(BundledData.RouterBench);
int? serverPid = Option("--pid", "") is { Length: > 0 } pid ? int.Parse(pid) : null;
try
{
    var report = args[0] switch
    {
        "load" => await LoadRun.RunAsync(url, data, int.Parse(Option("--workers", "8")), TimeSpan.FromSeconds(double.Parse(Option("--seconds", "20"))), TimeSpan.FromSeconds(double.Parse(Option("--warmup", "5"))),
            serverPid, Console.Out),
        "curve" => await OnlineCurve.RunAsync(url, data, [0, 1, 2, 5, 10, 20], Console.Out),
        "rates" => await OpenLoop.RunAsync(url, data,
            [.. Option("--rates", "100,200,400,800").Split(',').Select(r => double.Parse(r, System.Globalization.CultureInfo.InvariantCulture))],
            TimeSpan.FromSeconds(double.Parse(Option("--seconds", "15"))), TimeSpan.FromSeconds(double.Parse(Option("--warmup", "3"))),
            int.Parse(Option("--users", "16")), serverPid, Console.Out),
        "sustained" => await Sustained.RunAsync(url, data, int.Parse(Option("--workers", "8")), TimeSpan.FromMinutes(double.Parse(Option("--minutes", "5"))),
            TimeSpan.FromSeconds(double.Parse(Option("--window", "10"))), double.Parse(Option("--feedback-share", "0.2")),
            serverPid, Option("--store", "") is { Length: > 0 } soakStore ? soakStore : null,
            Option("--plot", "") is { Length: > 0 } plot ? plot : null, Console.Out),
        _ => await Propagation.RunAsync(new Uri(Option("--a", "http://127.0.0.1:8080")), new Uri(Option("--b", "http://127.0.0.1:8081")),
            Option("--store", "") is { Length: > 0 } store ? store : null, int.Parse(Option("--n", "200")), int.Parse(Option("--activations", "50")), Console.Out),
    };
    Console.WriteLine(report);
    var output = Option("--out", "");
    if (output.Length > 0)
    {
        await File.WriteAllTextAsync(output, report);
    }
    return 0;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
