using System.Text;

namespace GraphRouter.Core.Featurization;

/// <summary>
/// The binary file of a <see cref="FittedQueryEncoder"/>'s parameters (little-endian, strings as
/// length-prefixed UTF-8): magic <c>GRQE</c>, format version, then sizes, names and arrays as documented
/// in ENCODERS.md. Floats are stored bit for bit, so a loaded encoder gives identical vectors.
/// </summary>
internal static class FittedQueryEncoderFormat
{
    public const int Version = 1;
    private static readonly byte[] Magic = "GRQE"u8.ToArray();

    public static void Write(Stream stream, FittedQueryEncoder encoder)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(Version);
        w.Write(encoder.Dimension);
        w.Write(encoder.Buckets);
        w.Write(FittedQueryEncoder.TextStatisticCount);
        WriteStrings(w, encoder.Kinds);
        WriteStrings(w, encoder.Llms);
        WriteStrings(w, encoder.OutputNames);
        var p = encoder.Parameters;
        WriteFloats(w, p.StatMean);
        WriteFloats(w, p.StatStd);
        WriteFloats(w, p.Bias);
        WriteFloats(w, p.Weights);
        WriteDoubles(w, p.Calibration);
        WriteFloats(w, p.OutMean);
        WriteFloats(w, p.OutStd);
        var r = encoder.Report;
        w.Write(r.TrainingPrompts);
        WriteStrings(w, r.Targets);
        WriteDoubles(w, r.Lambdas.ToArray());
        WriteDoubles(w, r.OutOfFoldR2.ToArray());
        w.Write(r.KindOutOfFoldAccuracy);
    }

    public static FittedQueryEncoder Read(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("not a query encoder file (bad magic)");
            }
            var version = r.ReadInt32();
            if (version != Version)
            {
                throw new InvalidDataException($"query encoder format version {version} is not supported (expected {Version})");
            }
            var dimension = r.ReadInt32();
            var buckets = r.ReadInt32();
            var statistics = r.ReadInt32();
            if (buckets < 8 || statistics != FittedQueryEncoder.TextStatisticCount)
            {
                throw new InvalidDataException($"unsupported encoder shape: {buckets} buckets, {statistics} text statistics");
            }
            var kinds = ReadStrings(r);
            var llms = ReadStrings(r);
            var outputNames = ReadStrings(r);
            if (outputNames.Count != dimension)
            {
                throw new InvalidDataException($"dimension {dimension} does not match {outputNames.Count} output names");
            }
            var statMean = ReadFloats(r);
            var statStd = ReadFloats(r);
            var bias = ReadFloats(r);
            var weights = ReadFloats(r);
            var calibration = ReadDoubles(r);
            var outMean = ReadFloats(r);
            var outStd = ReadFloats(r);
            var report = new FittedQueryEncoderReport
            {
                TrainingPrompts = r.ReadInt32(),
                Targets = ReadStrings(r),
                Lambdas = ReadDoubles(r),
                OutOfFoldR2 = ReadDoubles(r),
                KindOutOfFoldAccuracy = r.ReadDouble(),
            };
            try
            {
                return new FittedQueryEncoder(buckets, kinds, llms, outputNames, statMean, statStd, weights, bias, calibration, outMean, outStd, report);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"corrupt query encoder file: {e.Message}", e);
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("truncated query encoder file", e);
        }
    }

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    private static List<string> ReadStrings(BinaryReader r)
    {
        var count = ReadCount(r);
        var list = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(r.ReadString());
        }
        return list;
    }

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    private static float[] ReadFloats(BinaryReader r)
    {
        var values = new float[ReadCount(r)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadSingle();
        }
        return values;
    }

    private static void WriteDoubles(BinaryWriter w, double[] values)
    {
        w.Write(values.Length);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    private static double[] ReadDoubles(BinaryReader r)
    {
        var values = new double[ReadCount(r)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadDouble();
        }
        return values;
    }

    private static int ReadCount(BinaryReader r)
    {
        var count = r.ReadInt32();
        // 64M entries bounds any real encoder and stops a corrupt length from allocating gigabytes.
        if (count < 0 || count > 1 << 26)
        {
            throw new InvalidDataException($"corrupt query encoder file: length {count}");
        }
        return count;
    }
}
