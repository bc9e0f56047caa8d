using System.Text.Json;
using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary><c>duraflow keys create|list|revoke</c> on the embedded store: a key is printed once, listed without its secret, and revoked.</summary>
public sealed class KeysCommandTests : IDisposable
{
    private readonly TempFolder _project = new();

    public KeysCommandTests()
    {
        _project.Write("duraflow.yaml", "");
        _project.Write("pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: script:a.csx }\n");
        _project.Write("pipelines/p/a.csx", "return 1;\n");
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_key_is_printed_once_listed_without_its_secret_refused_a_second_time_and_revoked()
    {
        var created = await CliRunner.RunAsync(_project.Root, "keys", "create", "--name", "ci", "--role", "operator", "--pipelines", "orders*", "--workspace", "sales", "--expires", "90d");
        var badWorkspace = await CliRunner.RunAsync(_project.Root, "keys", "create", "--name", "ws", "--role", "viewer", "--workspace", "../Sales");
        var again = await CliRunner.RunAsync(_project.Root, "keys", "create", "--name", "ci", "--role", "viewer");
        var listed = await CliRunner.RunAsync(_project.Root, "keys", "list");
        var json = await CliRunner.RunAsync(_project.Root, "keys", "list", "--json");
        var revoked = await CliRunner.RunAsync(_project.Root, "keys", "revoke", "ci");
        var twice = await CliRunner.RunAsync(_project.Root, "keys", "revoke", "ci");
        var after = await CliRunner.RunAsync(_project.Root, "keys", "list", "--json");

        Assert.True(created.ExitCode == 0, created.ToString());
        var key = Assert.Single(created.OutLines);
        Assert.Matches("^dfk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", key);
        Assert.Contains("created key ci (operator, pipelines orders*, workspace sales, expires ", created.Error, StringComparison.Ordinal);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("a key named 'ci' exists; revoke it first", again.Error, StringComparison.Ordinal);
        Assert.Matches(@"ci\s+operator\s+orders\*\s+sales\s+active\s+\d{4}-", listed.Out);
        Assert.Equal(2, badWorkspace.ExitCode);
        Assert.Contains("--workspace: '../Sales' is not a workspace name", badWorkspace.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(key[^43..], listed.Out + json.Out, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(json.Out))
        {
            var item = Assert.Single(document.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal(("ci", "operator", "active", "sales"), (item.GetProperty("name").GetString(), item.GetProperty("role").GetString(), item.GetProperty("status").GetString(), item.GetProperty("workspace").GetString()));
            Assert.StartsWith("cli:", item.GetProperty("created_by").GetString(), StringComparison.Ordinal);
            Assert.False(item.TryGetProperty("hash", out _));
        }

        Assert.Equal("revoked key ci", revoked.OutLines[^1]);
        Assert.Equal(2, twice.ExitCode);
        using var later = JsonDocument.Parse(after.Out);
        Assert.Equal("revoked", later.RootElement.GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Changes_made_from_the_cli_are_in_the_audit_log_as_the_operating_system_user()
    {
        await CliRunner.RunAsync(_project.Root, "keys", "create", "--name", "ci", "--role", "viewer");
        await CliRunner.RunAsync(_project.Root, "checkpoints", "set", "--pipeline", "p", "--name", "mark", "--value", "7");
        await CliRunner.RunAsync(_project.Root, "keys", "revoke", "ci");

        var json = await CliRunner.RunAsync(_project.Root, "audit", "--json");
        var table = await CliRunner.RunAsync(_project.Root, "audit", "--action", "key.create");
        var bad = await CliRunner.RunAsync(_project.Root, "audit", "--since", "last tuesday");

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var entries = document.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["key.revoke", "checkpoint.set", "key.create"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(("cli", "ok"), (e.GetProperty("actor_kind").GetString(), e.GetProperty("result").GetString())));
        Assert.All(entries, e => Assert.StartsWith($"cli:{Environment.UserName}@", e.GetProperty("actor").GetString(), StringComparison.Ordinal));
        Assert.Equal(("pipeline:p/checkpoint:mark", 7), (entries[1].GetProperty("target").GetString(), entries[1].GetProperty("parameters").GetProperty("body").GetProperty("value").GetInt32()));
        Assert.Matches(@"cli:\S+\s+key\.create\s+key:ci\s+ok", table.Out);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--since 'last tuesday' is not a time", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_started_from_the_cli_is_recorded_with_its_secret_parameters_masked()
    {
        _project.Write("pipelines/sec/pipeline.yaml", "name: sec\nparameters:\n  db_pw: { type: string, secret: true }\n  day: { type: string }\nblocks:\n  - { name: a, uses: script:a.csx }\n");
        _project.Write("pipelines/sec/a.csx", "return 1;\n");

        var run = await CliRunner.RunAsync(_project.Root, "run", "sec", "-p", "db_pw=hunter2", "-p", "day=2026-12-01");
        var json = await CliRunner.RunAsync(_project.Root, "audit", "--action", "run.start", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("hunter2", json.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        var parameters = document.RootElement.GetProperty("items")[0].GetProperty("parameters").GetProperty("body").GetProperty("parameters");
        Assert.Equal(("***", "2026-12-01"), (parameters.GetProperty("db_pw").GetString(), parameters.GetProperty("day").GetString()));
    }

    [Theory]
    [InlineData("--role", "owner", "--role: 'owner' is not a role; use viewer, operator or admin")]
    [InlineData("--pipelines", "../etc", "--pipelines: the glob '../etc' may hold only lowercase letters")]
    [InlineData("--expires", "0d", "--expires: '0d' is not a lifetime above zero")]
    [InlineData("--expires", "soon", "--expires: 'soon' is not a lifetime")]
    [InlineData("--name", "a\tb", "--name: the key's name 'a\\u0009b' may hold only lowercase letters, digits")]
    [InlineData("--name", "Ops Team", "--name: the key's name 'Ops Team' may hold only lowercase letters, digits")]
    [InlineData("--name", "LONG", "--name: the key's name is longer than 100 characters")]
    public async Task A_bad_key_is_a_usage_error_that_stores_nothing(string option, string value, string says)
    {
        var args = new Dictionary<string, string> { ["--name"] = "ci", ["--role"] = "viewer" };
        args[option] = value == "LONG" ? new string('k', 101) : value;

        var result = await CliRunner.RunAsync(_project.Root, ["keys", "create", .. args.SelectMany(a => new[] { a.Key, a.Value })]);
        var listed = await CliRunner.RunAsync(_project.Root, "keys", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
        Assert.StartsWith("no API keys", listed.OutLines[0], StringComparison.Ordinal);
    }
}
