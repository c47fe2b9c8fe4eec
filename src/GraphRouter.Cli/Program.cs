using GraphRouter.Cli;

// graphrouter: the service side's command line. Commands live in Commands/, one file each;
// GraphRouterCli assembles them and maps failures to the exit codes of ExitCodes.
return await GraphRouterCli.RunAsync(args, Console.Out, Console.Error);
