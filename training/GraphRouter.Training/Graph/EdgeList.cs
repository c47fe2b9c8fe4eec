namespace GraphRouter.Training.Graph;

/// <summary>The edges of one relation: parallel arrays of source and destination node indices.</summary>
public sealed record EdgeList(int[] Sources, int[] Destinations)
{
    public int Count => Sources.Length;
}
