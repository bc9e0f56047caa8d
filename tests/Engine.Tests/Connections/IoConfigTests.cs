using Duraflow.Engine.Connections;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Connections;

public class IoConfigTests
{
    private const string Profiles = """
        default:
          warehouse:
            type: postgres
            connection_string: "{{ secrets.warehouse_connection }}"
          lake:
            type: azure_blob
            account_url: https://lake.blob.core.windows.net
        dev:
          warehouse:
            type: sqlite
            path: dev.db
          api:
            type: http
            base_url: "http://localhost:{{ env.API_PORT }}/v1"
            authorization: "Bearer {{ secrets.api_token }}"
        prod:
        """;

    [Fact]
    public void Parse_Profiles_InheritDefaultAndReplaceWholeConnectionsByName()
    {
        var config = IoConfig.Parse(Profiles, "io_config.yaml");

        Assert.Empty(config.Diagnostics);
        Assert.Equal(["default", "dev", "prod"], config.Profiles);
        var dev = config.ConnectionsOf("dev");
        Assert.Equal(["api", "lake", "warehouse"], dev.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("sqlite", "dev", "dev.db"), (dev["warehouse"].Type, dev["warehouse"].Profile, dev["warehouse"].Settings["path"]));
        Assert.False(dev["warehouse"].Settings.ContainsKey("connection_string"));
        Assert.Equal(("azure_blob", "default"), (dev["lake"].Type, dev["lake"].Profile));
        Assert.Equal("io_config.yaml:9:3", dev["warehouse"].Location.ToString());
        Assert.Equal(["lake", "warehouse"], config.ConnectionsOf("prod").Keys.Order(StringComparer.Ordinal));
        Assert.Equal("postgres", config.ConnectionsOf("default")["warehouse"].Type);
    }

    [Fact]
    public void CheckProfile_Unknown_NamesTheProfilesThatExist()
    {
        var config = IoConfig.Parse(Profiles, "io_config.yaml");

        Assert.Null(config.CheckProfile("prod"));
        var unknown = config.CheckProfile("prd");

        Assert.Equal("io_config.yaml: error DF021: profile 'prd' (from --profile or DURAFLOW_PROFILE) is not in io_config.yaml; did you mean 'prod'? profiles are default, dev, prod", unknown?.ToString());
        Assert.Throws<ArgumentException>(() => config.ConnectionsOf("prd"));
    }

    [Fact]
    public void Load_NoFile_HasNoConnectionsAndOnlyTheDefaultProfile()
    {
        using var folder = new TempFolder();

        var config = IoConfig.Load(folder.Root, folder.Root);

        Assert.False(config.Exists);
        Assert.Empty(config.Diagnostics);
        Assert.Empty(config.ConnectionsOf("default"));
        Assert.Equal(["default"], config.Profiles);
        Assert.Contains("the project has no io_config.yaml", config.CheckProfile("dev")?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectProfile_PrefersTheOptionOverTheDefault()
    {
        Assert.Equal("prod", IoConfig.SelectProfile("prod"));
    }

    [Theory]
    [InlineData(
        "default:\n  db:\n    type: postgres\n    conection_string: x\n",
        "io_config.yaml:4:5: error DF005: unknown key 'conection_string' in connection 'db' of profile 'default'; did you mean 'connection_string'? allowed keys are type, connection_string")]
    [InlineData(
        "default:\n  db:\n    type: postgress\n    connection_string: x\n",
        "io_config.yaml:3:11: error DF017: connection 'db' of profile 'default' has unknown type 'postgress'; did you mean 'postgres'? use postgres, sqlserver, sqlite, duckdb, azure_blob, http")]
    [InlineData(
        "default:\n  db:\n    connection_string: x\n",
        "io_config.yaml:2:3: error DF010: connection 'db' of profile 'default' needs 'type': one of postgres, sqlserver, sqlite, duckdb, azure_blob, http")]
    [InlineData(
        "default:\n  db: { type: sqlserver }\n",
        "io_config.yaml:2:3: error DF010: connection 'db' of profile 'default' needs 'connection_string'")]
    [InlineData(
        "default:\n  files: { type: duckdb }\n",
        "io_config.yaml:2:3: error DF010: connection 'files' of profile 'default' needs one of 'path' or 'connection_string'")]
    [InlineData(
        "default:\n  files: { type: sqlite, path: a.db, connection_string: b }\n",
        "io_config.yaml:2:38: error DF017: connection 'files' of profile 'default' has both 'path' and 'connection_string'; give only one of them")]
    [InlineData(
        "default:\n  lake: { type: azure_blob }\n",
        "io_config.yaml:2:3: error DF010: connection 'lake' of profile 'default' needs one of 'connection_string' or 'account_url'")]
    [InlineData(
        "default:\n  lake: { type: azure_blob, account_url: http://lake }\n",
        "io_config.yaml:2:42: error DF017: 'account_url' of connection 'lake' of profile 'default' must be an https:// URL, such as https://ACCOUNT.blob.core.windows.net, or a template such as {{ env.NAME }} that gives one; 'http://lake' is not")]
    [InlineData(
        "default:\n  api: { type: http, base_url: localhost/v1 }\n",
        "io_config.yaml:2:32: error DF017: 'base_url' of connection 'api' of profile 'default' must be an http:// or https:// URL, or a template such as {{ env.NAME }} that gives one; 'localhost/v1' is not")]
    [InlineData(
        "default:\n  db: [postgres]\n",
        "io_config.yaml:2:7: error DF011: connection 'db' of profile 'default' must be a map with 'type' and its settings, as in { type: postgres, connection_string: \"{{ secrets.NAME }}\" }, not a list")]
    [InlineData(
        "default:\n  db: { type: postgres, connection_string: { nested: x } }\n",
        "io_config.yaml:2:44: error DF011: 'connection_string' of connection 'db' of profile 'default' must be a single value, not a map")]
    [InlineData(
        "default:\n  Warehouse: { type: sqlite, path: x }\n",
        "io_config.yaml:2:3: error DF004: connection name 'Warehouse' is not valid; use a lowercase letter followed by up to 62 lowercase letters, digits or underscores")]
    [InlineData(
        "Prod: {}\n",
        "io_config.yaml:1:1: error DF004: profile name 'Prod' is not valid; use a lowercase letter followed by up to 62 lowercase letters, digits or underscores")]
    [InlineData(
        "default: [a, b]\n",
        "io_config.yaml:1:10: error DF011: profile 'default' must be a map of connections (name: { type: ..., settings }), not a list")]
    [InlineData(
        "- default\n",
        "io_config.yaml:1:1: error DF011: io_config.yaml must be a map of profiles (default, dev, prod, ...), each a map of connections, not a list")]
    [InlineData(
        "default:\n  db: { type: sqlite, path: a.db\n",
        "io_config.yaml:3:1: error DF014: invalid YAML: While parsing a flow mapping, did not find expected ',' or '}'.")]
    public void Parse_EachProblem_IsReportedWhereTheUserEditsIt(string yaml, string expected)
    {
        var config = IoConfig.Parse(yaml, "io_config.yaml");

        Assert.Equal(expected, Assert.Single(config.Diagnostics).ToString());
    }

    // The value starts at column 24 of line 4; each column is that of the template's first character inside it.
    [Theory]
    [InlineData("\"Host=db;Password={{ blocks.load }}\"", 45, "'blocks' cannot be used in io_config.yaml; io_config.yaml values may use only {{ env.NAME }} and {{ secrets.NAME }}: connections are resolved before a run has blocks, parameters or a trigger")]
    [InlineData("\"{{ secret.pg }}\"", 28, "'secret' cannot be used in io_config.yaml; did you mean 'secrets'? io_config.yaml values may use only {{ env.NAME }} and {{ secrets.NAME }}: connections are resolved before a run has blocks, parameters or a trigger")]
    [InlineData("\"{{ env.PG | upper }}\"", 28, "'{{ env.PG | upper }}' is not a single name; io_config.yaml values may use only {{ env.NAME }} and {{ secrets.NAME }}, where NAME is letters, digits and underscores (no filters or expressions)")]
    [InlineData("\"{{ env }}\"", 28, "'env' needs a name after it, as in {{ env.NAME }}")]
    [InlineData("\"{{ }}\"", 28, "empty template; io_config.yaml values may use only {{ env.NAME }} and {{ secrets.NAME }}")]
    [InlineData("a {{ env.PG", 26, "'{{' is never closed; add '}}' after the name, as in {{ env.NAME }}")]
    public void Parse_TemplatesOtherThanEnvAndSecrets_AreDF016AtTheTemplate(string value, int column, string message)
    {
        var config = IoConfig.Parse($"default:\n  db:\n    type: postgres\n    connection_string: {value}\n", "io_config.yaml");

        Assert.Equal($"io_config.yaml:4:{column}: error DF016: {message}", Assert.Single(config.Diagnostics).ToString());
    }

    [Fact]
    public void Parse_BrokenConnection_IsLeftOutButItsNameStillCounts()
    {
        var config = IoConfig.Parse("default:\n  good: { type: sqlite, path: a.db }\n  broken: { type: sqlite }\n", "io_config.yaml");

        Assert.Equal(["good"], config.ConnectionsOf("default").Keys);
        Assert.Equal(["broken", "good"], config.NamesIn("default")!.Order(StringComparer.Ordinal));
    }
}
