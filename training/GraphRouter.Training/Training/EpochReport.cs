namespace GraphRouter.Training.Training;

/// <summary>One epoch's progress line.</summary>
public sealed record EpochReport(int Epoch, double Loss, double ValidationAccuracy, double ResidentMegabytes, double Seconds, bool Best)
{
    public override string ToString() =>
        FormattableString.Invariant($"epoch {Epoch,3}  loss {Loss:F4}  val acc {ValidationAccuracy:F4}{(Best ? "*" : " ")}  rss {ResidentMegabytes,7:F1} MiB  {Seconds,6:F1} s");
}
