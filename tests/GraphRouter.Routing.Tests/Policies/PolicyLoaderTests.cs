using System.Security.Cryptography;
using System.Text.Json;
using GraphRouter.Routing.Costs;
using GraphRouter.Routing.Policies;

namespace GraphRouter.Routing.Tests.Policies;

public sealed class PolicyLoaderTests : IDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly PolicyFolder _policy = new();

    public void Dispose() => _policy.Dispose();

    [Fact]
    public void The_writer_lists_every_file_with_its_real_sha256_and_size_and_the_loader_accepts_it()
    {
        Assert.Equal(["cost-model.json", "llm-vectors.json", "onnx/scorer.onnx"], _policy.Manifest.Files.Select(f => f.Path));
        foreach (var entry in _policy.Manifest.Files)
        {
            var bytes = File.ReadAllBytes(_policy.FilePath(entry.Path));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), entry.Sha256);
            Assert.Equal(bytes.Length, entry.SizeBytes);
        }

        var loaded = PolicyLoader.Verify(_policy.FolderPath);

        Assert.Equal("2026-11-23.1", loaded.Version);
        Assert.Equal(_policy.Models, loaded.Models);
        Assert.Equal(0.71, loaded.Metrics["pairwiseAccuracy"]);
        Assert.Equal(256, loaded.Config.GetProperty("hidden").GetInt32());
        Assert.Equal("hashed-ngram", loaded.QueryEncoder);
        Assert.Equal(_policy.Manifest.Created, loaded.Created);
        Assert.Equal(_policy.Manifest.Files, loaded.Files);
        var costModel = FittedCostModel.FromJson(File.ReadAllText(PolicyLoader.PathOf(_policy.FolderPath, loaded.Files[0])));
        Assert.Equal(11, costModel.Models.Count);
    }

    [Fact]
    public void A_flipped_byte_is_refused_naming_the_file()
    {
        var path = _policy.FilePath("onnx/scorer.onnx");
        var bytes = File.ReadAllBytes(path);
        bytes[1000] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<PolicyArtifactException>(() => PolicyLoader.Verify(_policy.FolderPath));

        Assert.Equal("onnx/scorer.onnx", error.File);
        Assert.Contains("SHA-256", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_the_file()
    {
        File.Delete(_policy.FilePath("llm-vectors.json"));

        var error = Assert.Throws<PolicyArtifactException>(() => PolicyLoader.Verify(_policy.FolderPath));

        Assert.Equal("llm-vectors.json", error.File);
        Assert.Equal("missing", error.Problem);
    }

    [Fact]
    public void A_truncated_file_is_refused_for_its_size()
    {
        var path = _policy.FilePath("cost-model.json");
        File.WriteAllText(path, File.ReadAllText(path)[..100]);

        var error = Assert.Throws<PolicyArtifactException>(() => PolicyLoader.Verify(_policy.FolderPath));

        Assert.Equal("cost-model.json", error.File);
        Assert.StartsWith("size 100 bytes", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unlisted_file_is_refused_naming_it()
    {
        File.WriteAllBytes(_policy.FilePath("onnx/user-encoder.onnx"), [1, 2, 3]);

        var error = Assert.Throws<PolicyArtifactException>(() => PolicyLoader.Verify(_policy.FolderPath));

        Assert.Equal("onnx/user-encoder.onnx", error.File);
    }

    [Fact]
    public void A_missing_or_unreadable_manifest_is_refused()
    {
        var manifest = _policy.FilePath(PolicyManifest.FileName);
        var text = File.ReadAllText(manifest);

        File.WriteAllText(manifest, text.Replace("\"queryEncoder\"", "\"encoder\"", StringComparison.Ordinal));
        var incomplete = Assert.Throws<PolicyArtifactException>(() => PolicyLoader.Verify(_policy.FolderPath));
        File.Delete(manifest);
        var missing = Assert.Throws<PolicyArtifactException>(() => PolicyLoader.Verify(_policy.FolderPath));

        Assert.Equal(PolicyManifest.FileName, incomplete.File);
        Assert.Contains("not a valid manifest", incomplete.Problem, StringComparison.Ordinal);
        Assert.Equal(PolicyManifest.FileName, missing.File);
        Assert.Equal("missing", missing.Problem);
    }

    [Fact]
    public void A_manifest_whose_paths_leave_the_folder_is_refused()
    {
        var manifest = _policy.Manifest with
        {
            Files = [.. _policy.Manifest.Files, new PolicyFileEntry { Path = "../outside.bin", Sha256 = new string('0', 64), SizeBytes = 0 }],
        };
        File.WriteAllText(_policy.FilePath(PolicyManifest.FileName), JsonSerializer.Serialize(manifest, Web));

        var error = Assert.Throws<PolicyArtifactException>(() => PolicyLoader.Verify(_policy.FolderPath));

        Assert.Equal("../outside.bin", error.File);
    }

    [Fact]
    public void The_version_must_name_the_folder()
    {
        var renamed = Path.Combine(_policy.Root, "other-name");
        Directory.Move(_policy.FolderPath, renamed);

        var error = Assert.Throws<PolicyArtifactException>(() => PolicyLoader.Verify(renamed));

        Assert.Contains("does not match the folder name", error.Problem, StringComparison.Ordinal);
        Assert.Throws<PolicyArtifactException>(() => PolicyManifestWriter.Write(renamed, _policy.Manifest));
    }

    [Fact]
    public void Resealing_after_adding_a_file_lists_it_and_verifies_again()
    {
        File.WriteAllBytes(_policy.FilePath("onnx/user-encoder.onnx"), [1, 2, 3]);

        var resealed = PolicyManifestWriter.Write(_policy.FolderPath, _policy.Manifest);
        var loaded = PolicyLoader.Verify(_policy.FolderPath);

        Assert.Equal(4, resealed.Files.Count);
        var added = Assert.Single(loaded.Files, f => f.Path == "onnx/user-encoder.onnx");
        Assert.Equal(3, added.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new byte[] { 1, 2, 3 })), added.Sha256);
        Assert.Empty(Directory.GetFiles(_policy.Root, "*.tmp"));
    }
}
