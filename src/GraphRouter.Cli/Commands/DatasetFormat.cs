namespace GraphRouter.Cli.Commands;

/// <summary>The dataset folder formats <c>import</c> understands.</summary>
internal enum DatasetFormat
{
    RouterBench,
    QualityTable,
}
