using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphRouter.Core.Featurization;
using GraphRouter.Evaluation.Splits;
using GraphRouter.Routing.Costs;
using GraphRouter.Routing.Policies;
using GraphRouter.Serving.Runtime;
using GraphRouter.Training.Graph;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Export;

/// <summary>
/// Writes a trained model as one policy folder <c>PARENT/&lt;version&gt;/</c> that <see cref="PolicyRuntime"/>
/// serves: <c>user-encoder.onnx</c> and <c>scorer.onnx</c> (written from the weights with the ONNX builder),
/// <c>query-encoder.bin</c>, <c>runtime.json</c>, <c>cost-model.json</c> (fitted on the training prompts'
/// outcomes), <c>parity.json</c> (TorchSharp's values on a real sample), <c>model.bin</c> (the TorchSharp weights,
/// which serving ignores and a warm-started retrain starts from) and <c>manifest.json</c> (metrics on the
/// validation split, SHA-256 of every file). The folder is assembled in a hidden staging folder beside the
/// target and moved into place only when complete; it is then loaded back with the runtime, which replays the
/// parity sample, and removed again if that fails. An existing version is never overwritten.
/// </summary>
public static partial class PolicyExporter
{
    /// <summary>The TorchSharp state dict (as <c>Module.save</c> writes it), listed and checksummed like every file.</summary>
    public const string WeightsFile = "model.bin";

    /// <summary>
    /// The version when none is given: the UTC date and the first 8 hex digits of the SHA-256 of the two graphs
    /// and the encoder parameters, e.g. <c>2026.11.23-3f9c2a1b</c>: sortable by day, different for different weights.
    /// </summary>
    public static string DefaultVersion(DateTimeOffset created, params byte[][] contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var content in contents)
        {
            hash.AppendData(content);
        }
        return string.Create(CultureInfo.InvariantCulture, $"{created.UtcDateTime:yyyy.MM.dd}-{Convert.ToHexStringLower(hash.GetHashAndReset())[..8]}");
    }

    /// <summary>
    /// <see cref="DefaultVersion"/> with the UTC time of day as well, e.g. <c>2026.11.23-101500-3f9c2a1b</c>: what
    /// retraining names its candidates, since two retrains of unchanged data give the same weights and a version is
    /// never reused.
    /// </summary>
    public static string TimedVersion(DateTimeOffset created, params byte[][] contents)
    {
        var daily = DefaultVersion(created, contents);
        return string.Create(CultureInfo.InvariantCulture, $"{created.UtcDateTime:yyyy.MM.dd-HHmmss}{daily[daily.IndexOf('-', StringComparison.Ordinal)..]}");
    }

    /// <summary>Letters, digits, '.', '_' and '-', starting with a letter or digit: a plain folder name everywhere.</summary>
    public static bool IsValidVersion(string version) => version is { Length: > 0 and <= 100 } && VersionPattern().IsMatch(version);

    /// <returns>The policy folder written.</returns>
    /// <exception cref="ArgumentException">An invalid version, or an encoder other than the fitted one.</exception>
    /// <exception cref="IOException">The version's folder already exists.</exception>
    public static string Export(TrainedGraphRouter router, EvaluationSplit split, string outputParent, string? version, TextWriter log, TimeProvider? clock = null) =>
        Export(router, split, outputParent, new PolicyExportOptions { Version = version, Clock = clock }, log);

    /// <summary>As above, with the version, its naming, the clock and the manifest's data snapshot in <paramref name="options"/>.</summary>
    /// <returns>The policy folder written.</returns>
    /// <exception cref="ArgumentException">An invalid version, or an encoder other than the fitted one.</exception>
    /// <exception cref="IOException">The version's folder already exists.</exception>
    public static string Export(TrainedGraphRouter router, EvaluationSplit split, string outputParent, PolicyExportOptions options, TextWriter log)
    {
        var (folder, runtime) = ExportAndLoad(router, split, outputParent, options, log);
        runtime.Dispose();
        return folder;
    }

    /// <summary>
    /// As above, and hands over the serving runtime that loaded the written folder back (checksums and parity
    /// replayed), so a caller that goes on to use the policy, as the retraining gate does, need not load it again.
    /// </summary>
    /// <returns>The policy folder written and its loaded runtime, which the caller disposes.</returns>
    public static (string Folder, PolicyRuntime Runtime) ExportAndLoad(TrainedGraphRouter router, EvaluationSplit split, string outputParent, PolicyExportOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(outputParent);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var version = options.Version;
        if (version is not null && !IsValidVersion(version))
        {
            throw new ArgumentException($"version '{version}' is not a plain name (letters, digits, '.', '_', '-')", nameof(options));
        }
        if (router.Features.Encoder is not FittedQueryEncoder encoder)
        {
            throw new ArgumentException($"only the fitted query encoder can be exported (its parameters travel with the policy); this model uses '{router.Features.Encoder.Name}'", nameof(router));
        }
        var created = (options.Clock ?? TimeProvider.System).GetUtcNow();

        // Serving encodes every prompt with the fitted encoder; the metrics and the parity sample use the same featurization.
        var serving = new TrainedGraphRouter(router.Model, new NodeFeaturizer(split.Data, encoder, router.Features.Statistics), router.Config);
        var config = router.Config;
        var dims = new PolicyDimensions
        {
            Model = config.Model,
            QueryDimension = serving.Features.QueryDimension,
            LlmCount = serving.Features.Llms.Count,
            ResponseDimension = serving.Features.ResponseDimension,
            CandidateDimension = serving.Features.CandidateDimension,
        };
        var producer = typeof(PolicyExporter).Assembly.GetName().Version?.ToString() ?? "1";
        var weights = ModelWeights.From(router.Model);
        var userEncoder = UserEncoderGraph.Build(weights, dims, producer);
        var scorer = ScorerGraph.Build(weights, dims, producer);
        using var encoderStream = new MemoryStream();
        encoder.Save(encoderStream);
        var encoderBytes = encoderStream.ToArray();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"graphs written: user encoder {userEncoder.Length / 1024.0:F0} KiB, scorer {scorer.Length / 1024.0:F0} KiB, query encoder {encoderBytes.Length / 1024.0:F0} KiB"));

        version ??= options.TimeInVersion ? TimedVersion(created, userEncoder, scorer, encoderBytes) : DefaultVersion(created, userEncoder, scorer, encoderBytes);
        var parent = Path.GetFullPath(outputParent);
        var target = Path.Combine(parent, version);
        if (Directory.Exists(target) || File.Exists(target))
        {
            throw new IOException($"{target} already exists; a policy version is never overwritten");
        }

        var spec = new PolicyRuntimeSpec
        {
            Format = PolicyRuntimeSpec.CurrentFormat,
            Models = [.. serving.Features.Llms],
            RatingScale = serving.Features.Scale,
            ResponseStatistics = serving.Features.Statistics,
            PriorCount = PreferenceFeatures.PriorCount,
            HistoryWindow = config.HistoryWindow,
            QueryEncoder = encoder.Name,
            QueryDimension = dims.QueryDimension,
            KindCount = serving.Features.Preferences.KindCount,
            CandidateDimension = dims.CandidateDimension,
            ResponseDimension = dims.ResponseDimension,
            EmbeddingDimension = config.Model.Hidden,
            ColdStartEmbedding = serving.EncodeUsers([[]])[0],
        };
        var costModel = CostModelFitter.Fit(split.Data.Outcomes.Where(o => split.TrainQueries.Contains(o.QueryId)), id => split.Data.Query(id).Text);
        log.WriteLine("computing validation metrics");
        var metrics = ValidationMetrics.Compute(serving, split);
        log.WriteLine(string.Join(", ", metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.####}"))));
        log.WriteLine("computing the parity sample with TorchSharp");
        var parity = ParitySampler.Create(serving, split);

        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".export-{Guid.NewGuid():N}");
        var folder = Path.Combine(staging, version);
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, PolicyGraphs.UserEncoderFile), userEncoder);
            File.WriteAllBytes(Path.Combine(folder, PolicyGraphs.ScorerFile), scorer);
            File.WriteAllBytes(Path.Combine(folder, PolicyGraphs.QueryEncoderFile), encoderBytes);
            File.WriteAllText(Path.Combine(folder, PolicyRuntimeSpec.FileName), spec.ToJson() + "\n");
            File.WriteAllText(Path.Combine(folder, FittedCostModel.FileName), costModel.ToJson() + "\n");
            File.WriteAllText(Path.Combine(folder, ParitySample.FileName), parity.ToJson() + "\n");
            router.Model.save(Path.Combine(folder, WeightsFile));
            PolicyManifestWriter.Write(folder, new PolicyManifest
            {
                Version = version,
                Created = created,
                DataSnapshot = options.DataSnapshot is null ? DataSnapshot(split, config) : $"{options.DataSnapshot}; {DataSnapshot(split, config)}",
                Config = JsonSerializer.SerializeToElement(config, TrainingConfigFile.Json),
                Metrics = metrics,
                QueryEncoder = encoder.Name,
                Models = [.. serving.Features.Llms],
            });
            Directory.Move(folder, target);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        PolicyRuntime runtime;
        try
        {
            runtime = PolicyRuntime.Load(target);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"loaded back with ONNX Runtime: parity sample ({parity.Users.Count} users, {parity.Queries.Count} prompts) max |ONNX - TorchSharp| {runtime.ParityMaxDifference:G3} (tolerance {parity.Tolerance:G3})"));
        }
        catch
        {
            Directory.Delete(target, recursive: true);
            throw;
        }
        return (target, runtime);
    }

    private static string DataSnapshot(EvaluationSplit split, TrainingConfig config) => string.Create(CultureInfo.InvariantCulture,
        $"{split.Data.Name} v{split.Data.Version}: trained on {split.Train.Count} interactions of {split.KnownUsers.Count} known users on {split.TrainQueries.Count} training prompts; " +
        $"validation: {split.ValidationUsers.Count} unseen users at k={config.ValidationK} and known users' held-out interactions, on {split.ValidationQueries.Count} validation prompts");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex VersionPattern();
}
