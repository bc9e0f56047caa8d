using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Duraflow.Infra.Tests;

/// <summary>infra/ compiles and lints clean, with the linter strict enough to mean something.</summary>
public sealed partial class BicepLintTests
{
    public static TheoryData<string> BicepFiles() => [.. InfraPaths.BicepFiles().Select(f => Path.GetRelativePath(InfraPaths.Folder, f))];

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Lint_FindsNothing(string file)
    {
        var (exitCode, output) = await BicepCli.RunAsync("lint", Path.Combine(InfraPaths.Folder, file));

        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"bicep lint {file} (exit {exitCode}):\n{output}");
    }

    [Fact]
    public async Task Build_OfMainBicep_IsWhatTheTestsRead()
    {
        // The build compiles main.bicep; compiling again must give the same template, so the tests never read a stale one.
        var (exitCode, output) = await BicepCli.RunAsync("build", Path.Combine(InfraPaths.Folder, "main.bicep"), "--stdout");

        Assert.Equal(0, exitCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(output), JsonNode.Parse(await File.ReadAllTextAsync(InfraPaths.CompiledMain))));
    }

    [Fact]
    public void LinterConfig_RaisesEveryRuleToWarningOrError_ExceptTheDateDependentOne()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraPaths.Folder, "bicepconfig.json")))!;
        var core = config["analyzers"]!["core"]!;
        Assert.True(core["enabled"]!.GetValue<bool>());

        var rules = core["rules"]!.AsObject();
        var lenient = rules.Where(r => r.Value!["level"]!.GetValue<string>() is not ("warning" or "error")).Select(r => r.Key).ToList();

        // use-recent-api-versions judges API versions by today's date, so it would turn CI red on a calendar day
        // without any change; API versions are raised on purpose instead (docs/deploy.md).
        Assert.Equal(["use-recent-api-versions"], lenient);
        Assert.True(rules.Count >= 30, "bicepconfig.json should list the linter rules it enforces");
    }

    [Fact]
    public void Modules_AreLocalFiles_SoTheBuildNeedsNoRegistry()
    {
        var modules = InfraPaths.BicepFiles()
            .SelectMany(file => ModuleReference().Matches(File.ReadAllText(file)).Select(m => (file, path: m.Groups["path"].Value)))
            .ToList();

        Assert.NotEmpty(modules);
        Assert.All(modules, m => Assert.True(
            File.Exists(Path.Combine(Path.GetDirectoryName(m.file)!, m.path)), $"{m.file}: module '{m.path}' is not a local file (registries are unreachable offline)"));
    }

    [GeneratedRegex(@"^module\s+\w+\s+'(?<path>[^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModuleReference();
}
