namespace GraphRouter.Core.Featurization;

public static class QueryEncoderExtensions
{
    public static float[] Encode(this IQueryEncoder encoder, string text)
    {
        var vector = new float[encoder.Dimension];
        encoder.Encode(text, vector);
        return vector;
    }
}
