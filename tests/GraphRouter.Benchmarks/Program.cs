using System.Globalization;
using BenchmarkDotNet.Running;
using GraphRouter.Benchmarks;

if (args.Length > 0 && args[0] == FeedbackLatency.Command)
{
    await FeedbackLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
