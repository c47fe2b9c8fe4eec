namespace GraphRouter.Storage.Import;

/// <summary>A step of an import finished: <paramref name="Added"/> of <paramref name="Total"/> items of <paramref name="Item"/> were new.</summary>
public sealed record ImportProgress(string Item, int Total, int Added);
