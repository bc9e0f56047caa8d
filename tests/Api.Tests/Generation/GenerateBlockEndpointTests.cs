using System.Net;
using Duraflow.Api.Tests.Http;
using Duraflow.Tests.Ai;
using Duraflow.Tests.Mcp;

namespace Duraflow.Api.Tests.Generation;

/// <summary>
/// <c>POST /api/pipelines/{name}/blocks/generate</c> and the MCP tool <c>generate_block</c> that calls it, against a
/// local OpenAI-compatible stub with recorded answers: written only once it validates, refused with the field or the
/// reason, audited, and one of two generations racing into one pipeline wins.
/// </summary>
public sealed class GenerateBlockEndpointTests : IAsyncLifetime, IDisposable
{
    private const string Route = "/api/pipelines/hello/blocks/generate";
    private const string MissingSemicolon = "```csharp\n// Doubles the doubled number again.\nreturn Input<long>(\"double_it\") * 2\n```";
    private const string Fixed = "Sorry, fixed:\n```csharp\n// Doubles the doubled number again.\nreturn Input<long>(\"double_it\") * 2;\n```";
    private const string UnknownBlock = "```csharp\n// Doubles it.\nreturn Input<long>(\"double\") * 2;\n```";

    private readonly ApiTestProject _project = new();
    private StubChatServer _model = null!;

    private string PipelineFile => Path.Combine(_project.Root, "pipelines", "hello", "pipeline.yaml");

    public async Task InitializeAsync()
    {
        _model = await StubChatServer.StartAsync();
        _project.Write("duraflow.yaml", $"ai:\n  provider: openai\n  endpoint: {_model.Url}/v1\n  model: stub-model\n");
    }

    public async Task DisposeAsync() => await _model.DisposeAsync();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task An_assistant_generates_a_block_through_mcp_after_a_repair_round_and_it_runs()
    {
        _model.Answer(MissingSemicolon, Fixed);
        await using var client = await McpCalls.ConnectOverHttpAsync(_project.Factory.CreateClient(), ApiTestProject.Key);

        var generated = await McpCalls.CallAsync(client, "generate_block", new { pipeline = "hello", name = "quadruple", kind = "script", describe = "double the doubled number again" });

        Assert.True(generated.GetProperty("written").GetBoolean());
        Assert.Equal(2, generated.GetProperty("attempts").GetInt32());
        Assert.Equal("pipelines/hello/blocks/quadruple.csx", generated.GetProperty("file").GetString());
        Assert.Contains("+  - name: quadruple", generated.GetProperty("diff").GetString(), StringComparison.Ordinal);
        Assert.Contains("CS1002", _model.Requests.Last().Messages[^1].Text, StringComparison.Ordinal);
        Assert.EndsWith("  - { name: double_it, uses: \"script:blocks/double_it.csx\" }\n  - name: quadruple\n    uses: script:blocks/quadruple.csx\n", File.ReadAllText(PipelineFile), StringComparison.Ordinal);

        var audit = await _project.GetAsync("/api/audit?action=block.generate");
        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(("mcp", "201", "pipeline:hello"), (entry.GetProperty("actor_kind").GetString(), entry.GetProperty("result").GetString(), entry.GetProperty("target").GetString()));

        var runId = await _project.StartAsync("hello", new { parameters = new { n = 5 } });
        Assert.Equal(Duraflow.Engine.Runs.RunStatus.Succeeded, (await _project.FinishAsync(runId)).Status);
        var output = await _project.GetAsync($"/api/runs/{runId}/outputs/quadruple");
        Assert.Equal(20, output.GetProperty("value").GetInt64());
    }

    [Fact]
    public async Task When_no_answer_validates_it_answers_422_with_the_problems_and_writes_nothing()
    {
        var before = File.ReadAllBytes(PipelineFile);
        _model.Answer(MissingSemicolon, UnknownBlock, MissingSemicolon, UnknownBlock);

        var (response, body) = await _project.PostAsync(Route, new { name = "quadruple", kind = "script", describe = "double it again" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(4, body.GetProperty("attempts").GetInt32());
        Assert.Contains("references unknown block 'double'", body.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("nothing was written", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(PipelineFile));
        Assert.False(File.Exists(Path.Combine(_project.Root, "pipelines/hello/blocks/quadruple.csx")));
    }

    [Fact]
    public async Task An_answer_with_hundreds_of_errors_sends_back_and_shows_the_first_twenty()
    {
        var garbage = "```csharp\nreturn " + string.Join(" + ", Enumerable.Range(1, 300).Select(i => $"missing{i}")) + ";\n```";
        _model.Answer(garbage, garbage, garbage, garbage);

        var (response, body) = await _project.PostAsync(Route, new { name = "quadruple", kind = "script", describe = "double it again" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problems = body.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Equal(21, problems.Count);
        Assert.Equal("… and 280 more errors", problems[^1]);
        Assert.Contains("… and 280 more errors", _model.Requests.Last().Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_template_needs_no_model_and_writes_nothing()
    {
        _project.Write("duraflow.yaml", "name: no_model\n");
        var before = File.ReadAllBytes(PipelineFile);

        var (response, body) = await _project.PostAsync(Route, new { name = "scaffold", kind = "sql", describe = "rows per day", template = true, dry_run = true });
        var (noModel, refusal) = await _project.PostAsync(Route, new { name = "scaffold", kind = "sql", describe = "rows per day" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, body.GetProperty("attempts").GetInt32());
        Assert.False(body.GetProperty("written").GetBoolean());
        Assert.Contains("+select * from {{ blocks.double_it }}", body.GetProperty("diff").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(PipelineFile));
        Assert.Equal(HttpStatusCode.Conflict, noModel.StatusCode);
        Assert.Contains("no chat model is configured", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"template\": true", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_model.Requests);
    }

    [Theory]
    [InlineData("this is not JSON")]
    [InlineData("{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[]}")]
    public async Task An_answer_that_is_no_chat_completion_is_the_models_failure(string body)
    {
        _model.Raw(body);

        var (response, problem) = await _project.PostAsync(Route, new { name = "b", kind = "script", describe = "d" });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("the model could not be asked, or its answer could not be read", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pipeline_whose_file_does_not_parse_exists_and_is_refused_for_that()
    {
        _project.Write("pipelines/broken/pipeline.yaml", "name: broken\nblocks: [\n");

        var (response, problem) = await _project.PostAsync("/api/pipelines/broken/blocks/generate", new { name = "b", kind = "sql", describe = "d", template = true });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("pipeline 'broken' does not validate; fix it first", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_ai_section_is_named_rather_than_called_missing()
    {
        _project.Write("duraflow.yaml", "ai:\n  provider: openai\n  model: m\n  api_key: sk-literal\n");

        var (response, body) = await _project.PostAsync(Route, new { name = "b", kind = "script", describe = "d" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("duraflow.yaml:4:12: error DF017: ai 'api_key' must be a reference", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("no chat model is configured", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"Bad Name","kind":"script","describe":"d"}""", "name")]
    [InlineData("""{"name":"b","kind":"python","describe":"d"}""", "kind")]
    [InlineData("""{"name":"b","kind":"script","describe":"  "}""", "describe")]
    [InlineData("""{"name":"b","kind":"script"}""", "describe")]
    [InlineData("""{"name":7,"kind":"script","describe":"d"}""", "name")]
    [InlineData("""{"name":"b","kind":"script","describe":"d","dry_run":"yes"}""", "dry_run")]
    [InlineData("""{"name":"b","kind":"script","describe":"d","path":"../../x"}""", "path")]
    [InlineData("""{"name":"b","name":"c","kind":"script","describe":"d"}""", "name")]
    [InlineData("""["b"]""", "body")]
    public async Task A_bad_body_is_a_400_naming_the_field(string body, string field)
    {
        var before = File.ReadAllBytes(PipelineFile);

        var response = await _project.PostRawAsync(Route, body, "application/json");

        var problem = await ApiTestProject.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(before, File.ReadAllBytes(PipelineFile));
        Assert.Empty(_model.Requests);
    }

    [Fact]
    public async Task A_description_over_the_limit_an_unknown_pipeline_a_taken_name_and_a_failing_model_are_refused()
    {
        var (tooLong, tooLongBody) = await _project.PostAsync(Route, new { name = "b", kind = "script", describe = new string('x', 8_001) });
        var (unknown, _) = await _project.PostAsync("/api/pipelines/nope/blocks/generate", new { name = "b", kind = "script", describe = "d" });
        var (taken, takenBody) = await _project.PostAsync(Route, new { name = "double_it", kind = "script", describe = "d" });
        _model.Fail(401, "Incorrect API key provided");
        var (refused, refusedBody) = await _project.PostAsync(Route, new { name = "b", kind = "script", describe = "d" });

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("8000", tooLongBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("already has a block 'double_it'", takenBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Contains("401", refusedBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_two_generations_racing_into_one_pipeline_one_is_written_and_the_other_refused()
    {
        // Both requests are at the model before either answer comes back.
        using var both = new CountdownEvent(2);
        _model.OnRequest = () =>
        {
            both.Signal();
            Assert.True(both.Wait(TimeSpan.FromMinutes(1)), "the second generation never reached the model");
        };
        _model.Answer(Fixed, Fixed);

        var first = _project.PostAsync(Route, new { name = "first", kind = "script", describe = "double it again" });
        var second = _project.PostAsync(Route, new { name = "second", kind = "script", describe = "double it again" });
        var results = await Task.WhenAll(first, second);

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], results.Select(r => r.Response.StatusCode).Order());
        var loser = results.Single(r => r.Response.StatusCode == HttpStatusCode.Conflict).Body;
        Assert.Contains("pipeline.yaml changed while the block was generated; nothing was written", loser.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var text = File.ReadAllText(PipelineFile);
        Assert.NotEqual(text.Contains("name: first", StringComparison.Ordinal), text.Contains("name: second", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.Combine(_project.Root, "pipelines/hello/blocks")), f => f.EndsWith("first.csx", StringComparison.Ordinal) || f.EndsWith("second.csx", StringComparison.Ordinal));
    }
}
