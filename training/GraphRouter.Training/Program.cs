using System.CommandLine;

var root = new RootCommand("graphrouter-train: train, evaluate and export GraphRouter policies.");
return root.Parse(args).Invoke();
