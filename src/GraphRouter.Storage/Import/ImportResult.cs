namespace GraphRouter.Storage.Import;

/// <summary>What one import added, per node type and for <c>Turn -> Turn</c> links; zero everywhere when everything was already stored.</summary>
public sealed record ImportResult
{
    public required int Users { get; init; }
    public required int Queries { get; init; }
    public required int Llms { get; init; }
    public required int Responses { get; init; }
    public required int Interactions { get; init; }
    public required int Turns { get; init; }
    public required int TurnLinks { get; init; }

    public bool AddedNothing => Users + Queries + Llms + Responses + Interactions + Turns + TurnLinks == 0;

    public override string ToString() =>
        $"users {Users:N0}, queries {Queries:N0}, LLMs {Llms:N0}, responses {Responses:N0}, interactions {Interactions:N0}, turns {Turns:N0}, turn links {TurnLinks:N0}";
}
