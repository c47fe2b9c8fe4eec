using System.CommandLine;
using GraphRouter.Training.Commands;

var root = new RootCommand("graphrouter-train: train, evaluate and export GraphRouter policies.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
return root.Parse(args).Invoke();
