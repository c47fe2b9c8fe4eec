namespace GraphRouter.Storage;

public sealed record EdgeTypeCount(string Source, string Relation, string Target, long Count)
{
    public string Name => $"{Source}->{Target}";
}
