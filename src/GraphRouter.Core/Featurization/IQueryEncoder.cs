namespace GraphRouter.Core.Featurization;

/// <summary>Turns a prompt's text into a fixed-size vector. Works offline: no downloaded weights.</summary>
public interface IQueryEncoder
{
    /// <summary>A stable name, recorded in policy manifests and results.</summary>
    string Name { get; }

    int Dimension { get; }

    /// <summary>The vector for <paramref name="text"/>; writes <see cref="Dimension"/> values into <paramref name="destination"/>.</summary>
    void Encode(string text, Span<float> destination);
}
