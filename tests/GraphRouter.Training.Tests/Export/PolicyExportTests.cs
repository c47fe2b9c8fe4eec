using System.Diagnostics;
using System.Text.RegularExpressions;
using GraphRouter.Routing.Costs;
using GraphRouter.Routing.Policies;
using GraphRouter.Serving.Runtime;
using GraphRouter.Training.Encoders;
using GraphRouter.Training.Export;
using GraphRouter.Training.Training;

namespace GraphRouter.Training.Tests.Export;

/// <summary>The policy folder export writes, and what it refuses.</summary>
public sealed class PolicyExportTests(ExportedPolicyFixture policy) : IClassFixture<ExportedPolicyFixture>
{
    [Fact]
    public void The_folder_holds_the_graphs_encoder_runtime_spec_cost_model_parity_sample_and_weights_all_checksummed()
    {
        Assert.Equal(ExportedPolicyFixture.Version, Path.GetFileName(policy.Folder));
        var manifest = PolicyLoader.Verify(policy.Folder);
        Assert.Equal(
            [FittedCostModel.FileName, PolicyExporter.WeightsFile, ParitySample.FileName, PolicyGraphs.QueryEncoderFile, PolicyRuntimeSpec.FileName, PolicyGraphs.ScorerFile, PolicyGraphs.UserEncoderFile],
            manifest.Files.Select(f => f.Path));
        Assert.Equal(policy.Trained.Features.Llms, manifest.Models);
        Assert.Equal(policy.Trained.Features.Encoder.Name, manifest.QueryEncoder);
        Assert.Equal(policy.Config.HistoryWindow, manifest.Config.GetProperty("historyWindow").GetInt32());
        foreach (var metric in new[] { "validationPairwiseAccuracy", "validationAuc", "validationPairs", "knownUsersValidationPairwiseAccuracy" })
        {
            Assert.True(manifest.Metrics.ContainsKey(metric), metric);
        }
        Assert.InRange(manifest.Metrics["validationPairwiseAccuracy"], 0.3, 1.0);
        Assert.Contains("validation", manifest.DataSnapshot, StringComparison.Ordinal);

        var spec = policy.Runtime.Spec;
        Assert.Equal(policy.Config.Model.Hidden, spec.EmbeddingDimension);
        Assert.Equal(8, spec.HistoryWindow);
        Assert.Equal(policy.Trained.Features.CandidateDimension, spec.CandidateDimension);
        Assert.Equal(policy.Trained.Features.Statistics, spec.ResponseStatistics);
        Assert.All(policy.Trained.Features.Llms, m => Assert.True(policy.Runtime.CostModel.Find(m) is { Samples: > 0 }, m));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(policy.Parent), p => Path.GetFileName(p).StartsWith('.'));
    }

    [Fact]
    public void An_existing_version_is_never_overwritten_and_a_bad_version_or_encoder_is_refused()
    {
        var before = File.ReadAllBytes(Path.Combine(policy.Folder, PolicyManifest.FileName));
        Assert.Throws<IOException>(() => PolicyExporter.Export(policy.Trained, policy.Split, policy.Parent, ExportedPolicyFixture.Version, TextWriter.Null));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(policy.Folder, PolicyManifest.FileName)));
        Assert.Throws<ArgumentException>(() => PolicyExporter.Export(policy.Trained, policy.Split, policy.Parent, "../escape", TextWriter.Null));
        using var hashed = GraphRouterTrainer.Create(policy.Split, RouterBenchSlice.SmallConfig with { Encoder = new QueryEncoderOptions { Kind = QueryEncoders.HashedNgrams, Dimension = 64 } });
        var e = Assert.Throws<ArgumentException>(() => PolicyExporter.Export(hashed, policy.Split, policy.Parent, "hashed", TextWriter.Null));
        Assert.Contains("fitted", e.Message, StringComparison.Ordinal);
        Assert.Equal([ExportedPolicyFixture.Version], Directory.EnumerateDirectories(policy.Parent).Select(Path.GetFileName));
    }

    [Fact]
    public void The_default_version_is_the_day_and_a_content_hash()
    {
        var day = new DateTimeOffset(2026, 11, 23, 22, 0, 0, TimeSpan.FromHours(-5));
        var a = PolicyExporter.DefaultVersion(day, [1, 2, 3], [4]);
        Assert.Matches(new Regex("^2026\\.11\\.24-[0-9a-f]{8}$"), a);
        Assert.Equal(a, PolicyExporter.DefaultVersion(day, [1, 2, 3], [4]));
        Assert.NotEqual(a, PolicyExporter.DefaultVersion(day, [1, 2, 3], [5]));
        Assert.True(PolicyExporter.IsValidVersion(a));
        Assert.False(PolicyExporter.IsValidVersion(".hidden"));
        Assert.False(PolicyExporter.IsValidVersion("a/b"));
    }

    [Theory]
    [InlineData(2, "export")]                                                  // --output is required
    [InlineData(2, "export --output {tmp} --version bad/name")]
    [InlineData(3, "export --output {tmp} --checkpoint {tmp}/no-such-checkpoint")]
    public async Task The_command_exits_with_usage_and_bad_input_codes_and_writes_nothing(int code, string arguments)
    {
        var tmp = Path.Combine(Path.GetTempPath(), "graphrouter-export-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(tmp);
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "graphrouter-train.dll"));
            foreach (var argument in arguments.Replace("{tmp}", tmp, StringComparison.Ordinal).Split(' '))
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var message = await error;
            Assert.True(code == process.ExitCode, $"exit {process.ExitCode}: {message}");
            Assert.NotEmpty(message);
            Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }
}
