using System.CommandLine;
using GraphRouter.Training.Commands;
using GraphRouter.Training.Training;

// Before anything else: run with glibc settings that keep resident memory flat across epochs (re-executes once).
NativeHeapTuning.ReexecuteIfNeeded();

var root = new RootCommand($"graphrouter-train: train, evaluate, export and retrain GraphRouter policies. {ExitCodes.Help}");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(RetrainCommand.Create());
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var problem in parse.Errors)
    {
        Console.Error.WriteLine(problem.Message);
    }
    Console.Error.WriteLine("see 'graphrouter-train --help'");
    return ExitCodes.Usage;
}
return await parse.InvokeAsync();
