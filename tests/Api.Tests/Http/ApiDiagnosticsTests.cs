using System.Net;

namespace Duraflow.Api.Tests.Http;

/// <summary><c>GET /api/diagnostics</c> and <c>GET /api/pipelines/{name}/source</c>: what validation found and read, within the caller's pipelines.</summary>
public sealed class ApiDiagnosticsTests : IDisposable
{
    private readonly ApiTestProject _project = new();

    public ApiDiagnosticsTests()
    {
        _project.Write("pipelines/broken/pipeline.yaml", "name: broken\nblocks:\n  - { name: a, uses: \"script:blocks/missing.csx\" }\n");

        // One name in two folders: a problem across pipelines, which names the hidden pipeline.
        foreach (var folder in new[] { "secret_a", "secret_b" })
        {
            _project.Write($"pipelines/{folder}/pipeline.yaml", "name: secret_pipe\nblocks:\n  - { name: a, uses: \"script:a.csx\" }\n");
            _project.Write($"pipelines/{folder}/a.csx", "return 1;\n");
        }
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Diagnostics_locate_each_problem_and_leave_out_pipelines_outside_a_keys_glob()
    {
        var all = await _project.GetAsync("/api/diagnostics");
        var (created, key) = await _project.PostAsync("/api/keys", new { name = "hello_only", role = "viewer", pipelines = "hel*" });
        using var limited = _project.Factory.CreateClient();
        limited.DefaultRequestHeaders.Add("X-Api-Key", key.GetProperty("key").GetString());
        var scoped = await ApiTestProject.ReadAsync(await limited.GetAsync(new Uri("/api/diagnostics", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(all.GetProperty("valid").GetBoolean());
        var problem = Assert.Single(all.GetProperty("items").EnumerateArray(), d => d.GetProperty("severity").GetString() == "error" && d.GetProperty("pipeline").GetString() == "broken");
        Assert.Contains(all.GetProperty("items").EnumerateArray(), d => d.GetProperty("message").GetString()!.Contains("secret_pipe", StringComparison.Ordinal));
        Assert.Equal(("pipelines/broken/pipeline.yaml", "broken"), (problem.GetProperty("file").GetString(), problem.GetProperty("pipeline").GetString()));
        Assert.Contains("missing.csx", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(scoped.GetProperty("valid").GetBoolean());
        Assert.DoesNotContain("broken", scoped.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", scoped.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_shows_the_definition_and_the_files_its_blocks_use_and_nothing_else()
    {
        _project.Write("pipelines/hello/notes.txt", "not used by a block");

        var source = await _project.GetAsync("/api/pipelines/hello/source");
        var unknown = await _project.Client.GetAsync(new Uri("/api/pipelines/nope/source", UriKind.Relative));

        Assert.Equal("pipelines/hello/pipeline.yaml", source.GetProperty("definition").GetProperty("path").GetString());
        Assert.Contains("name: hello", source.GetProperty("definition").GetProperty("text").GetString(), StringComparison.Ordinal);
        var file = Assert.Single(source.GetProperty("files").EnumerateArray());
        Assert.Equal("pipelines/hello/blocks/double_it.csx", file.GetProperty("path").GetString());
        Assert.Contains("Param<long>(\"n\") * 2", file.GetProperty("text").GetString(), StringComparison.Ordinal);
        await ApiTestProject.ProblemAsync(unknown, HttpStatusCode.NotFound);
    }
}
