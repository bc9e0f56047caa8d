using Duraflow.Tests;

namespace Duraflow.Cli.Tests;

/// <summary>io_config.yaml, <c>--profile</c> and <c>DURAFLOW_PROFILE</c> as <c>duraflow validate</c> and <c>run</c> see them.</summary>
public sealed class ProfileTests : IDisposable
{
    private readonly TempFolder _project = new();

    public ProfileTests()
    {
        _project.Write("pipelines/loads/pipeline.yaml", """
            name: loads
            blocks:
              - name: extract
                uses: sql.query
                with: { connection: warehouse, query: "select 1" }
              - name: scratch_copy
                uses: sql.write
                upstream: [extract]
                with:
                  connection: scratch
                  table: copies
            triggers:
              - blob_created: { connection: lake, container: landing }
            """);
        _project.Write("io_config.yaml", """
            default:
              warehouse:
                type: postgres
                connection_string: "{{ secrets.warehouse_connection }}"
              lake:
                type: azure_blob
                connection_string: "{{ env.LAKE_CONNECTION_STRING }}"
            dev:
              scratch:
                type: duckdb
                path: scratch.duckdb
            prod:
              scratch:
                type: postgres
                connection_string: "{{ secrets.scratch_connection }}"
            """);
    }

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Validate_DefaultProfile_ReportsAConnectionOnlyOtherProfilesHave()
    {
        var result = await CliRunner.RunAsync(_project.Root, "validate");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "pipelines/loads/pipeline.yaml:10:19: error DF020: block 'scratch_copy' uses connection 'scratch', which is not in profile 'default' of io_config.yaml; connections are lake, warehouse",
                "1 error, 0 warnings",
            ],
            result.OutLines);
    }

    [Theory]
    [InlineData("--profile", "dev", "validate")]
    [InlineData("validate", "--profile", "prod")]
    public async Task Validate_WithProfileOption_UsesThatProfilesConnections(params string[] args)
    {
        var result = await CliRunner.RunAsync(_project.Root, args);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("1 pipeline valid (2 blocks): loads\n", result.Out);
    }

    [Fact]
    public async Task Validate_ProfileFromTheEnvironment_IsUsedUnlessTheOptionSaysOtherwise()
    {
        var fromEnvironment = await CliRunner.RunAsync(_project.Root, new Dictionary<string, string> { ["DURAFLOW_PROFILE"] = "dev" }, "validate");
        var optionWins = await CliRunner.RunAsync(_project.Root, new Dictionary<string, string> { ["DURAFLOW_PROFILE"] = "dev" }, "validate", "--profile", "default");

        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());
        Assert.Equal(1, optionWins.ExitCode);
        Assert.Contains("not in profile 'default'", optionWins.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownProfile_NamesTheProfilesThatExist()
    {
        var result = await CliRunner.RunAsync(_project.Root, "validate", "--profile", "prd");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "io_config.yaml: error DF021: profile 'prd' (from --profile or DURAFLOW_PROFILE) is not in io_config.yaml; did you mean 'prod'? profiles are default, dev, prod",
                "1 error, 0 warnings",
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Validate_IoConfigProblems_AreLocatedWithHints()
    {
        _project.Write("io_config.yaml", """
            default:
              warehouse:
                type: postgres
                conection_string: "{{ secrets.warehouse_connection }}"
              lake:
                type: azure_blob
                connection_string: "{{ blocks.extract }}"
            """);

        var result = await CliRunner.RunAsync(_project.Root, "validate", "--profile", "default");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "io_config.yaml:4:5: error DF005: unknown key 'conection_string' in connection 'warehouse' of profile 'default'; did you mean 'connection_string'? allowed keys are type, connection_string",
                "io_config.yaml:7:28: error DF016: 'blocks' cannot be used in io_config.yaml; io_config.yaml values may use only {{ env.NAME }} and {{ secrets.NAME }}: connections are resolved before a run has blocks, parameters or a trigger",
                "pipelines/loads/pipeline.yaml:10:19: error DF020: block 'scratch_copy' uses connection 'scratch', which is not in profile 'default' of io_config.yaml; connections are lake, warehouse",
                "3 errors, 0 warnings",
            ],
            result.OutLines);
    }

    [Fact]
    public async Task Run_UnknownProfile_IsBadUsageBeforeAnythingRuns()
    {
        var result = await CliRunner.RunAsync(_project.Root, "run", "loads", "--profile", "staging");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error DF021: profile 'staging'", result.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_project.PathOf(".duraflow")));
    }
}
