namespace GraphRouter.Storage;

public sealed record NodeTypeCount(string Type, long Count);
