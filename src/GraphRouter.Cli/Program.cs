using System.CommandLine;

var root = new RootCommand("graphrouter: the GraphRouter service side (store, import, serving).");
return root.Parse(args).Invoke();
