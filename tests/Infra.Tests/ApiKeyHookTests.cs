using System.Diagnostics;
using Duraflow.Tests;

namespace Duraflow.Infra.Tests;

/// <summary>
/// scripts/api-key.sh, azd's postprovision hook, run against a stand-in <c>az</c> on the PATH (no Azure here) that keeps
/// the vault's secret in a folder and logs each call: it creates a key only when the vault says the secret is not
/// found, keeps one that is there, waits out refused reads (a role assignment still on its way), and never puts the key
/// on a command line.
/// </summary>
public sealed class ApiKeyHookTests : IDisposable
{
    // The stand-in: `keyvault secret show` refuses while refusals remain, then finds the secret or says SecretNotFound;
    // `secret set` stores the file it is given (or refuses while a deleted secret is kept); `functionapp config
    // appsettings set` succeeds. Every call is logged, one per line.
    private const string FakeAz = """
        #!/bin/sh
        echo "$*" >> "$AZ_STATE/calls"
        case "$1 $2 $3" in
          "keyvault secret show")
            refusals=$(cat "$AZ_STATE/refusals" 2>/dev/null || echo 0)
            if [ "$refusals" -gt 0 ]; then echo $((refusals - 1)) > "$AZ_STATE/refusals"; echo "(Forbidden) Caller is not authorized" >&2; exit 1; fi
            if [ -f "$AZ_STATE/secret" ]; then echo "https://kv/secrets/duraflow-api-key/1"; exit 0; fi
            echo "(SecretNotFound) A secret with (name/id) duraflow-api-key was not found in this key vault." >&2; exit 3 ;;
          "keyvault secret set")
            if [ -f "$AZ_STATE/deleted" ]; then echo "(Conflict) Secret duraflow-api-key is currently in a deleted but recoverable state. Code: ObjectIsDeletedButRecoverable" >&2; exit 1; fi
            while [ $# -gt 0 ]; do if [ "$1" = "--file" ]; then cp "$2" "$AZ_STATE/secret"; fi; shift; done; exit 0 ;;
          "functionapp config appsettings") exit 0 ;;
        esac
        echo "unexpected az call: $*" >&2; exit 9
        """;

    private readonly TempFolder _work = new();

    public ApiKeyHookTests()
    {
        _work.Write("bin/az", FakeAz.Replace("\r\n", "\n", StringComparison.Ordinal));
        // The hook is a POSIX shell script (api-key.ps1 is its Windows twin), so this runs where sh does.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_work.PathOf("bin/az"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.CreateDirectory(_work.PathOf("state"));
    }

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Without_a_secret_it_writes_a_random_64_hex_key_from_a_file_and_has_the_app_fetch_it_again()
    {
        var (exit, output) = await RunAsync();

        Assert.True(exit == 0, output);
        var key = File.ReadAllText(_work.PathOf("state/secret"));
        Assert.Matches("^[0-9a-f]{64}$", key);
        var calls = File.ReadAllLines(_work.PathOf("state/calls"));
        Assert.Equal(3, calls.Length);
        Assert.StartsWith("keyvault secret set --vault-name kv-test --name duraflow-api-key --file ", calls[1], StringComparison.Ordinal);
        Assert.DoesNotContain(key, string.Join('\n', calls), StringComparison.Ordinal);
        Assert.Matches(@"^functionapp config appsettings set --resource-group rg-test --name func-test --settings DURAFLOW_API_KEY_SET_AT=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ --output none$", calls[2]);
        Assert.DoesNotContain(key, output, StringComparison.Ordinal);

        // A second run keeps it: provisioning again never rotates the key.
        var (again, _) = await RunAsync();
        Assert.Equal(0, again);
        Assert.Equal(key, File.ReadAllText(_work.PathOf("state/secret")));
        Assert.Equal(4, File.ReadAllLines(_work.PathOf("state/calls")).Length);
    }

    [Fact]
    public async Task Refused_reads_are_retried_and_never_taken_for_a_missing_secret()
    {
        _work.Write("state/secret", "the-key-already-there");
        _work.Write("state/refusals", "2");

        var (exit, output) = await RunAsync();

        Assert.True(exit == 0, output);
        Assert.Equal("the-key-already-there", File.ReadAllText(_work.PathOf("state/secret")));
        Assert.All(File.ReadAllLines(_work.PathOf("state/calls")), call => Assert.StartsWith("keyvault secret show", call, StringComparison.Ordinal));
        Assert.Contains("attempt 2 of 5", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_refused_past_the_attempts_fail_the_hook_with_the_last_error_and_write_nothing()
    {
        _work.Write("state/refusals", "9");

        var (exit, output) = await RunAsync();

        Assert.NotEqual(0, exit);
        Assert.Contains("after 5 attempts", output, StringComparison.Ordinal);
        Assert.Contains("Forbidden", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_work.PathOf("state/secret")));
    }

    [Fact]
    public async Task A_deleted_secret_kept_by_soft_delete_stops_the_hook_at_once_saying_how_to_recover_it()
    {
        _work.Write("state/deleted", "");

        var (exit, output) = await RunAsync();

        Assert.NotEqual(0, exit);
        Assert.Contains("az keyvault secret recover", output, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(_work.PathOf("state/calls")).Length);
    }

    [Fact]
    public async Task Without_the_deployments_outputs_it_says_which_one_to_set()
    {
        var (exit, output) = await RunAsync(vault: null);

        Assert.NotEqual(0, exit);
        Assert.Contains("AZURE_KEY_VAULT_NAME", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_work.PathOf("state/calls")));
    }

    private async Task<(int Exit, string Output)> RunAsync(string? vault = "kv-test")
    {
        var start = new ProcessStartInfo("sh", [Path.Combine(RepositoryPaths.Root, "scripts", "api-key.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = $"{_work.PathOf("bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["AZ_STATE"] = _work.PathOf("state");
        start.Environment["AZURE_FUNCTION_APP_NAME"] = "func-test";
        start.Environment["AZURE_RESOURCE_GROUP"] = "rg-test";
        start.Environment["DURAFLOW_HOOK_ATTEMPTS"] = "5";
        start.Environment["DURAFLOW_HOOK_PAUSE_SECONDS"] = "0";
        start.Environment.Remove("AZURE_KEY_VAULT_NAME");
        if (vault is not null)
        {
            start.Environment["AZURE_KEY_VAULT_NAME"] = vault;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
