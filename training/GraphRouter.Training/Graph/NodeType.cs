namespace GraphRouter.Training.Graph;

/// <summary>The graph's node types, named as in the schema.</summary>
public enum NodeType
{
    User,
    Turn,
    Query,
    Llm,
    Response,
}
