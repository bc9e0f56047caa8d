using Duraflow.Tests;
using Duraflow.Tests.Ai;

namespace Duraflow.Cli.Tests;

/// <summary>
/// <c>duraflow generate block</c> against a local OpenAI-compatible stub that returns recorded answers: the repair loop
/// sends the problems back, only a block that validates is written (and then runs), and nothing is written otherwise.
/// </summary>
public sealed class GenerateCommandTests : IAsyncLifetime, IDisposable
{
    private const string Pipeline = """
        # Greets every customer; a comment generation must keep.
        name: hello

        parameters:
          greeting: { type: string, default: Hello }

        blocks:
          - name: load_customers
            uses: csv.read
            with:
              path: data/customers.csv   # three customers

          - name: greet
            uses: script:blocks/greet.csx   # reads load_customers

        # Run it by hand.
        triggers:
          - http: { enabled: true }

        """;

    private readonly TempFolder _folder = new();
    private StubChatServer _model = null!;

    private string Root => _folder.Root;

    private string PipelineFile => Path.Combine(Root, "pipelines", "hello", "pipeline.yaml");

    public async Task InitializeAsync()
    {
        _model = await StubChatServer.StartAsync();
        _folder.Write("data/customers.csv", "id,name,country\n1,Ada,UK\n2,Grace,US\n3,Alan,UK\n");
        _folder.Write("pipelines/hello/pipeline.yaml", Pipeline);
        _folder.Write("pipelines/hello/blocks/greet.csx", """
            // Greets every customer.
            public record Customer(long Id, string Name, string Country);

            var greeting = Param<string>("greeting");
            return Input<Customer[]>("load_customers").Select(c => new { c.Id, c.Country, Message = $"{greeting}, {c.Name}!" }).ToArray();

            """);
        Configure($"ai:\n  provider: openai\n  endpoint: {_model.Url}/v1\n  model: stub-model\n");
    }

    public async Task DisposeAsync() => await _model.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task An_answer_that_does_not_compile_is_sent_back_and_the_fixed_block_is_written_and_runs()
    {
        _model.Answer(Recorded("missing-semicolon"), Recorded("fixed"));

        var result = await Generate("count_per_country", "script", "count the greeted customers per country");

        Assert.True(result.ExitCode == 0, result.ToString());
        var requests = _model.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.Equal("/v1/chat/completions", r.Path));
        Assert.All(requests, r => Assert.Equal("stub-model", r.Model));
        var (_, system) = requests[0].Messages[0];
        Assert.Contains("`Input<T>(\"block\")`", system, StringComparison.Ordinal);
        var (_, ask) = requests[0].Messages[1];
        Assert.Contains("# Greets every customer; a comment generation must keep.", ask, StringComparison.Ordinal);
        Assert.Contains("public record Customer(long Id, string Name, string Country);", ask, StringComparison.Ordinal);
        Assert.Contains("count the greeted customers per country", ask, StringComparison.Ordinal);
        var (role, repair) = requests[1].Messages[^1];
        Assert.Equal("user", role);
        Assert.Contains("pipelines/hello/blocks/count_per_country.csx:7:15: error DF022: CS1002: ; expected", repair, StringComparison.Ordinal);

        Assert.Equal(Code(Recorded("fixed")), File.ReadAllText(Path.Combine(Root, "pipelines/hello/blocks/count_per_country.csx")));
        Assert.Equal(
            Pipeline.Replace(
                "    uses: script:blocks/greet.csx   # reads load_customers\n",
                "    uses: script:blocks/greet.csx   # reads load_customers\n\n  - name: count_per_country\n    uses: script:blocks/count_per_country.csx\n",
                StringComparison.Ordinal),
            File.ReadAllText(PipelineFile));
        Assert.Contains("+  - name: count_per_country", result.Out, StringComparison.Ordinal);
        Assert.Contains("+++ b/pipelines/hello/blocks/count_per_country.csx", result.Out, StringComparison.Ordinal);
        Assert.Contains("answer 2 of at most 4", result.Out, StringComparison.Ordinal);
        Assert.Contains("answer 1 does not validate (1 problem)", result.Error, StringComparison.Ordinal);

        var run = await CliRunner.RunAsync(Root, "run", "hello");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("count_per_country: succeeded", run.Out, StringComparison.Ordinal);
        var audit = await CliRunner.RunAsync(Root, "audit", "--json");
        Assert.Contains("\"action\":\"block.generate\"", audit.Out, StringComparison.Ordinal);
        Assert.Contains("\"target\":\"pipeline:hello\"", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_round_fails_nothing_is_written_and_the_last_problems_are_shown()
    {
        var before = File.ReadAllBytes(PipelineFile);
        _model.Answer(Recorded("missing-semicolon"), Recorded("unknown-block"), Recorded("prose-only"), Recorded("wrong-member"));

        var result = await Generate("count_per_country", "script", "count the greeted customers per country");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(4, _model.Requests.Count);
        Assert.Equal(before, File.ReadAllBytes(PipelineFile));
        Assert.False(File.Exists(Path.Combine(Root, "pipelines/hello/blocks/count_per_country.csx")));
        Assert.Contains("no answer validated after 4 attempts, so nothing was written", result.Error, StringComparison.Ordinal);
        Assert.Contains("error DF022: CS1061: 'Greeting' does not contain a definition for 'Contry'", result.Error, StringComparison.Ordinal);

        // Each round's problems went back: the unknown block's, then the prose that is no C#.
        var repairs = _model.Requests.Skip(1).Select(r => r.Messages[^1].Text).ToArray();
        Assert.Contains("CS1002", repairs[0], StringComparison.Ordinal);
        Assert.Contains("'greetings'", repairs[1], StringComparison.Ordinal);
        Assert.Contains("error DF022", repairs[2], StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync(Root, "validate")).ExitCode);
    }

    [Fact]
    public async Task A_sql_block_after_a_successful_run_is_written_against_the_upstream_columns()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(Root, "run", "hello")).ExitCode);
        _model.Answer(Recorded("sql"));

        var result = await Generate("per_country", "sql", "customers per country");

        Assert.True(result.ExitCode == 0, result.ToString());
        var (_, ask) = Assert.Single(_model.Requests).Messages[1];
        Assert.Contains("its last successful run", ask, StringComparison.Ordinal);
        Assert.Contains("a table of 3 rows; columns: id BIGINT, country VARCHAR, message VARCHAR", ask, StringComparison.Ordinal);
        Assert.Contains("{{ blocks.NAME }}", Assert.Single(_model.Requests).Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(Code(Recorded("sql")), File.ReadAllText(Path.Combine(Root, "pipelines/hello/sql/per_country.sql")));
        var run = await CliRunner.RunAsync(Root, "run", "hello");
        Assert.Contains("per_country: succeeded", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_shows_the_diff_and_writes_nothing()
    {
        var before = File.ReadAllBytes(PipelineFile);
        _model.Answer(Recorded("fixed"));

        var result = await Generate("count_per_country", "script", "count per country", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("+    .ToArray();", result.Out, StringComparison.Ordinal);
        Assert.Contains("dry run: answer 1 of at most 4 validates; nothing was written", result.Out, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(PipelineFile));
        Assert.False(File.Exists(Path.Combine(Root, "pipelines/hello/blocks/count_per_country.csx")));
    }

    [Fact]
    public async Task Without_a_model_it_exits_2_saying_how_to_configure_one()
    {
        Configure("name: no_model\n");

        var result = await Generate("count_per_country", "script", "count per country");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no chat model is configured; add one to duraflow.yaml, such as ai: { provider: openai", result.Error, StringComparison.Ordinal);
        Assert.Contains("--template", result.Error, StringComparison.Ordinal);
        Assert.Empty(_model.Requests);
    }

    [Theory]
    [InlineData("script", "blocks/scaffold.csx", "// count per country\n// with two lines")]
    [InlineData("sql", "sql/scaffold.sql", "-- count per country\n-- with two lines")]
    public async Task A_template_needs_no_model_and_writes_a_scaffold_that_validates_and_runs(string kind, string file, string start)
    {
        Configure("name: no_model\n");

        var result = await Generate("scaffold", kind, "count per country\nwith two lines", "--template");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith(start, File.ReadAllText(Path.Combine(Root, "pipelines/hello", file)), StringComparison.Ordinal);
        Assert.Contains("greet", File.ReadAllText(Path.Combine(Root, "pipelines/hello", file)), StringComparison.Ordinal);
        var run = await CliRunner.RunAsync(Root, "run", "hello");
        Assert.Contains("scaffold: succeeded", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_description_cannot_turn_a_template_comment_into_code()
    {
        Configure("name: no_model\n");

        var result = await Generate("scaffold", "script", "a\rSystem.IO.File.Delete(\"x\");\u2028return 1;", "--template");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(Path.Combine(Root, "pipelines/hello/blocks/scaffold.csx"));
        Assert.Equal(["// a", "// System.IO.File.Delete(\"x\");", "// return 1;"], lines[..3]);

        // SQL reads templates in comments too: braces in a description stay text.
        var sql = await Generate("sql_scaffold", "sql", "send {{{ secrets.api_key }}} and {{ params.x }}", "--template");
        Assert.True(sql.ExitCode == 0, sql.ToString());
        Assert.DoesNotContain("{{", File.ReadAllLines(Path.Combine(Root, "pipelines/hello/sql/sql_scaffold.sql"))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_openai_is_asked_for_the_deployment_with_the_key_from_a_secret()
    {
        Configure($"ai:\n  provider: azure_openai\n  endpoint: {_model.Url}\n  model: blocks-deployment\n  api_key: \"{{{{ secrets.azure_ai_key }}}}\"\n");
        _model.Answer(Recorded("fixed"));

        var result = await CliRunner.RunAsync(
            Root, new Dictionary<string, string> { ["DURAFLOW_SECRET_AZURE_AI_KEY"] = "azure-key-123" },
            "generate", "block", "hello", "--name", "count_per_country", "--kind", "script", "--describe", "count per country");

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(_model.Requests);
        Assert.Equal("/openai/v1/chat/completions", request.Path);
        Assert.Equal("blocks-deployment", request.Model);
        Assert.Equal("azure-key-123", request.ApiKey);
        Assert.Equal("Bearer azure-key-123", request.Authorization);
        Assert.DoesNotContain("azure-key-123", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_is_not_set_or_a_model_that_refuses_fails_clearly_and_writes_nothing()
    {
        var before = File.ReadAllBytes(PipelineFile);
        Configure($"ai:\n  provider: openai\n  endpoint: {_model.Url}/v1\n  model: stub-model\n  api_key: \"{{{{ env.DURAFLOW_TEST_UNSET_KEY }}}}\"\n");

        var unset = await Generate("count_per_country", "script", "count per country");

        Assert.Equal(1, unset.ExitCode);
        Assert.Contains("ai 'api_key' reads {{ env.DURAFLOW_TEST_UNSET_KEY }}, but environment variable DURAFLOW_TEST_UNSET_KEY is not set", unset.Error, StringComparison.Ordinal);
        Assert.Empty(_model.Requests);

        Configure($"ai:\n  provider: openai\n  endpoint: {_model.Url}/v1\n  model: stub-model\n");
        _model.Fail(401, "Incorrect API key provided");
        var refused = await Generate("count_per_country", "script", "count per country");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("the model could not be asked", refused.Error, StringComparison.Ordinal);
        Assert.Contains("401", refused.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was written", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(PipelineFile));
    }

    [Fact]
    public async Task A_pipeline_changed_while_the_model_answers_is_not_overwritten()
    {
        var edited = Pipeline + "# edited by hand meanwhile\n";
        _model.OnRequest = () => File.WriteAllText(PipelineFile, edited);
        _model.Answer(Recorded("fixed"));

        var result = await Generate("count_per_country", "script", "count per country");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pipelines/hello/pipeline.yaml changed while the block was generated; nothing was written", result.Error, StringComparison.Ordinal);
        Assert.Equal(edited, File.ReadAllText(PipelineFile));
        Assert.False(File.Exists(Path.Combine(Root, "pipelines/hello/blocks/count_per_country.csx")));
    }

    [Theory]
    [InlineData(2, "--name", "Count-Per-Country", "--name 'Count-Per-Country' is not a block name")]
    [InlineData(2, "--name", "../../escape", "--name '../../escape' is not a block name")]
    [InlineData(2, "--kind", "python", "--kind 'python' is not a block kind; use script or sql")]
    [InlineData(2, "--describe", " ", "--describe is empty")]
    [InlineData(1, "--name", "greet", "pipeline 'hello' already has a block 'greet'")]
    [InlineData(1, "PIPELINE", "helo", "there is no pipeline 'helo'; did you mean 'hello'?")]
    [InlineData(1, "PIPELINE", "../hello", "there is no pipeline '../hello'")]
    public async Task Bad_arguments_are_refused_naming_the_argument_and_write_nothing(int exit, string argument, string value, string message)
    {
        var before = File.ReadAllBytes(PipelineFile);
        var args = new Dictionary<string, string> { ["PIPELINE"] = "hello", ["--name"] = "count_per_country", ["--kind"] = "script", ["--describe"] = "count per country" };
        args[argument] = value;

        var result = await CliRunner.RunAsync(Root, "generate", "block", args["PIPELINE"], "--name", args["--name"], "--kind", args["--kind"], "--describe", args["--describe"]);

        Assert.True(result.ExitCode == exit, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(_model.Requests);
        Assert.Equal(before, File.ReadAllBytes(PipelineFile));
    }

    [Fact]
    public async Task A_description_longer_than_a_page_or_a_taken_file_or_a_broken_pipeline_is_refused()
    {
        var tooLong = await Generate("count_per_country", "script", new string('x', 8_001));
        _folder.Write("pipelines/hello/blocks/taken.csx", "return 1;\n");
        var taken = await Generate("taken", "script", "count per country");
        _folder.Write("pipelines/hello/pipeline.yaml", Pipeline.Replace("script:blocks/greet.csx", "script:blocks/gone.csx", StringComparison.Ordinal));
        var broken = await Generate("count_per_country", "script", "count per country");

        Assert.Equal(2, tooLong.ExitCode);
        Assert.Contains("--describe has 8001 characters; say it in at most 8000", tooLong.Error, StringComparison.Ordinal);
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("pipelines/hello/blocks/taken.csx exists; choose another name", taken.Error, StringComparison.Ordinal);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("pipeline 'hello' does not validate; fix it first", broken.Error, StringComparison.Ordinal);
        Assert.Contains("blocks/gone.csx", broken.Error, StringComparison.Ordinal);
        Assert.Empty(_model.Requests);
    }

    [Fact]
    public async Task Ctrl_c_while_the_model_answers_exits_130_and_leaves_nothing_behind()
    {
        var before = File.ReadAllBytes(PipelineFile);
        var temporary = _folder.PathOf("tmp");
        Directory.CreateDirectory(temporary);
        var arrived = new TaskCompletionSource();
        using var release = new ManualResetEventSlim();
        _model.OnRequest = () =>
        {
            arrived.TrySetResult();
            release.Wait(TimeSpan.FromMinutes(1));
        };
        _model.Answer(Recorded("fixed"));
        var start = CliRunner.StartInfo(Root, ["generate", "block", "hello", "--name", "count_per_country", "--kind", "script", "--describe", "count per country"]);
        start.Environment["TMPDIR"] = temporary;
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await arrived.Task.WaitAsync(TimeSpan.FromMinutes(1));
            using (var interrupt = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await interrupt.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        finally
        {
            release.Set();
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("interrupted; nothing was written", await error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(PipelineFile));
        Assert.False(File.Exists(Path.Combine(Root, "pipelines/hello/blocks/count_per_country.csx")));
        Assert.Empty(Directory.GetFileSystemEntries(temporary, "duraflow-generate-*"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Links_devices_shared_helpers_a_byte_order_mark_and_permissions_are_taken_as_they_are()
    {
        // The blocks folder is linked in from elsewhere in the project, a script loads a helper outside pipelines/, a
        // link to a device sits among the pipeline's files, and pipeline.yaml starts with a BOM and is not world-readable.
        Directory.Move(Path.Combine(Root, "pipelines/hello/blocks"), Path.Combine(Root, "shared_blocks"));
        File.CreateSymbolicLink(Path.Combine(Root, "pipelines/hello/blocks"), "../../shared_blocks");
        _folder.Write("lib/greeting.csx", "static string Greet(string greeting, string name) => $\"{greeting}, {name}!\";\n");
        _folder.Write("shared_blocks/greet.csx", """
            #load "../../../lib/greeting.csx"
            public record Customer(long Id, string Name, string Country);

            var greeting = Param<string>("greeting");
            return Input<Customer[]>("load_customers").Select(c => new { c.Id, c.Country, Message = Greet(greeting, c.Name) }).ToArray();

            """);
        File.CreateSymbolicLink(Path.Combine(Root, "pipelines/hello/zeros"), "/dev/zero");
        File.WriteAllText(PipelineFile, Pipeline, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        File.SetUnixFileMode(PipelineFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.Equal(0, (await CliRunner.RunAsync(Root, "validate")).ExitCode);

        var result = await Generate("count_per_country", "script", "count per country", "--template");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([0xEF, 0xBB, 0xBF], File.ReadAllBytes(PipelineFile)[..3]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(PipelineFile));
        Assert.True(File.Exists(Path.Combine(Root, "shared_blocks/count_per_country.csx")));
        Assert.Equal(0, (await CliRunner.RunAsync(Root, "run", "hello")).ExitCode);
    }

    [Fact]
    public async Task Helpers_that_load_helpers_outside_the_pipelines_folder_are_in_the_copy()
    {
        _folder.Write("lib/greeting.csx", "#load \"words.csx\"\nstatic string Greet(string name) => $\"{Hello}, {name}!\";\n");
        _folder.Write("lib/words.csx", "const string Hello = \"Hello\";\n");
        _folder.Write("pipelines/hello/blocks/greet.csx", """
            #load "../../../lib/greeting.csx"
            public record Customer(long Id, string Name, string Country);

            return Input<Customer[]>("load_customers").Select(c => new { c.Id, c.Country, Message = Greet(c.Name) }).ToArray();

            """);
        Assert.Equal(0, (await CliRunner.RunAsync(Root, "validate")).ExitCode);

        var result = await Generate("scaffold", "sql", "rows", "--template");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task A_sql_answer_that_does_not_parse_is_sent_back()
    {
        _model.Answer("```sql\n-- Customers per country.\nselec country, count(*) frm {{ blocks.greet }} group by country\n```", Recorded("sql"));

        var result = await Generate("per_country", "sql", "customers per country");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("pipelines/hello/sql/per_country.sql: error: the query does not parse: syntax error at or near", _model.Requests.Last().Messages[^1].Text, StringComparison.Ordinal);
        Assert.Equal(Code(Recorded("sql")), File.ReadAllText(Path.Combine(Root, "pipelines/hello/sql/per_country.sql")));
    }

    [Fact]
    public async Task A_file_where_the_blocks_folder_goes_is_refused_naming_it()
    {
        _folder.Write("pipelines/hello/sql", "not a folder");

        var result = await Generate("per_country", "sql", "customers per country", "--template");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pipelines/hello/sql is a file, where the block's folder goes; rename or move it first", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("duraflow-generate-", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_names_every_option()
    {
        var result = await CliRunner.RunAsync(Root, "generate", "block", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--name", "--kind", "--describe", "--dry-run", "--template" })
        {
            Assert.Contains(option, result.Out, StringComparison.Ordinal);
        }
    }

    private static string Recorded(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "generate", "answers", name + ".md"));

    // The file a recorded answer holds: its fenced block, with the final newline generation writes.
    private static string Code(string answer)
    {
        var start = answer.IndexOf('\n', answer.IndexOf("```", StringComparison.Ordinal)) + 1;
        return answer[start..answer.LastIndexOf("```", StringComparison.Ordinal)];
    }

    private void Configure(string yaml) => _folder.Write("duraflow.yaml", yaml);

    private Task<CliRunner.Result> Generate(string name, string kind, string description, params string[] more) =>
        CliRunner.RunAsync(Root, ["generate", "block", "hello", "--name", name, "--kind", kind, "--describe", description, .. more]);
}
