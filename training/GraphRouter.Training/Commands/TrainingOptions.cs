using System.CommandLine;
using GraphRouter.Core.Datasets;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Commands;

/// <summary>The options train and eval share: the config file, the flags that override it, the dataset.</summary>
internal sealed class TrainingOptions
{
    public Option<FileInfo?> Config { get; } = new("--config") { Description = "Training config JSON (default: training/configs/default.json)." };
    public Option<DirectoryInfo?> Data { get; } = new("--data") { Description = "Dataset folder in the routerbench format (default: the bundled data/routerbench)." };
    public Option<int?> Seed { get; } = new("--seed") { Description = "Overrides the config's seed." };
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Overrides the config's maximum epochs." };
    public Option<int?> Steps { get; } = new("--steps") { Description = "Overrides the config's steps per epoch." };
    public Option<int?> Hidden { get; } = new("--hidden") { Description = "Overrides the graph transformer's hidden size." };
    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Overrides the learning rate." };

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Data);
        command.Options.Add(Seed);
        command.Options.Add(Epochs);
        command.Options.Add(Steps);
        command.Options.Add(Hidden);
        command.Options.Add(LearningRate);
    }

    public TrainingConfig ReadConfig(ParseResult parse)
    {
        var config = TrainingConfigFile.Read(parse.GetValue(Config)?.FullName ?? TrainingConfigFile.DefaultPath());
        if (parse.GetValue(Seed) is { } seed)
        {
            config = config with { Seed = seed };
        }
        if (parse.GetValue(Epochs) is { } epochs)
        {
            config = config with { Epochs = epochs };
        }
        if (parse.GetValue(Steps) is { } steps)
        {
            config = config with { StepsPerEpoch = steps };
        }
        if (parse.GetValue(Hidden) is { } hidden)
        {
            config = config with { Model = config.Model with { Hidden = hidden } };
        }
        if (parse.GetValue(LearningRate) is { } lr)
        {
            config = config with { LearningRate = lr };
        }
        return config;
    }

    public EvaluationSplit ReadSplit(ParseResult parse)
    {
        var folder = parse.GetValue(Data)?.FullName ?? BundledData.RouterBench;
        return EvaluationSplit.Create(RouterBenchReader.Load(folder), new SplitConfig());
    }
}
