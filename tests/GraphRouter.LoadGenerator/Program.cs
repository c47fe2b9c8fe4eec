using GraphRouter.Core.Datasets;
using GraphRouter.LoadGenerator;

// graphrouter-load: measures a running `graphrouter serve` over loopback.
//   graphrouter-load load  --url http://127.0.0.1:5080 [--workers 8] [--seconds 20] [--warmup 5] [--out FILE]
//   graphrouter-load curve --url http://127.0.0.1:5080 [--out FILE]
// Exit codes: 0 ok; 1 a request failed; 2 usage.
if (args.Length == 0 || args[0] is not ("load" or "curve"))
{
    Console.Error.WriteLine("usage: graphrouter-load load|curve --url URL [--workers N] [--seconds S] [--warmup S] [--out FILE]");
    return 2;
}
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var url = new Uri(Option("--url", "http://127.0.0.1:5080"));
var data = RouterBenchReader.Load(BundledData.RouterBench);
try
{
    var report = args[0] == "load"
        ? await LoadRun.RunAsync(url, data, int.Parse(Option("--workers", "8")), TimeSpan.FromSeconds(double.Parse(Option("--seconds", "20"))), TimeSpan.FromSeconds(double.Parse(Option("--warmup", "5"))), Console.Out)
        : await OnlineCurve.RunAsync(url, data, [0, 1, 2, 5, 10, 20], Console.Out);
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
