using System.Text.Json;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Validation;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Runs;

/// <summary>
/// Parameters given as text (the command line) or JSON (the HTTP API) resolve by the same rules, and every problem
/// comes back as data: which parameter, what is wrong, and its declared type.
/// </summary>
public sealed class RunParametersTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly PipelineDefinition _pipeline;

    public RunParametersTests()
    {
        var file = _folder.Write("pipelines/p/pipeline.yaml", """
            name: p
            parameters:
              day: { type: date, required: true }
              n: { type: int, default: 3 }
              currency: { type: string, default: EUR, allowed: [EUR, USD] }
              config: { type: json }
            blocks:
              - { name: x, uses: csv.read, with: { path: a.csv } }
            """);
        var validated = PipelineValidator.Validate(file);
        Assert.True(validated.IsValid, string.Join("\n", validated.Diagnostics));
        _pipeline = validated.Definition!;
    }

    public void Dispose() => _folder.Dispose();

    private static ParameterInput Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ParameterInput.FromJson(document.RootElement);
    }

    [Fact]
    public void Every_problem_names_its_parameter_kind_and_type()
    {
        var resolution = RunParameters.Resolve(_pipeline, new Dictionary<string, ParameterInput>
        {
            ["dya"] = ParameterInput.FromText("2026-11-24"),
            ["n"] = ParameterInput.FromText("many"),
            ["currency"] = ParameterInput.FromText("GBP"),
        });

        Assert.Null(resolution.Parameters);
        Assert.Equal(
            [("dya", ParameterProblemKind.Unknown, null), ("n", ParameterProblemKind.WrongType, ParameterType.Int),
             ("currency", ParameterProblemKind.NotAllowed, ParameterType.String), ("day", ParameterProblemKind.Missing, ParameterType.Date)],
            resolution.Problems.Select(p => (p.Name, p.Kind, p.Type)));
        Assert.Equal("--param dya: pipeline p has no parameter 'dya'; did you mean 'day'? it declares config, currency, day, n", resolution.Problems[0].ForCommandLine());
        Assert.Equal("--param n=many: expected a whole number such as 42", resolution.Problems[1].ForCommandLine());
        Assert.Equal("parameter 'day' is required; pass it as --param day=VALUE", resolution.Problems[3].ForCommandLine());
    }

    [Fact]
    public void Json_values_convert_by_their_declared_type_and_strings_read_like_text()
    {
        var resolution = RunParameters.Resolve(_pipeline, new Dictionary<string, ParameterInput>
        {
            ["day"] = Json("\"2026-11-24\""),
            ["n"] = Json("7"),
            ["config"] = Json("""{"a": [1, 2]}"""),
        });

        var values = resolution.Parameters!.Values;
        Assert.Equal("2026-11-24", values["day"].GetString());
        Assert.Equal(7, values["n"].GetInt64());
        Assert.Equal("EUR", values["currency"].GetString());
        Assert.Equal(2, values["config"].GetProperty("a").GetArrayLength());
    }

    [Theory]
    [InlineData("n", "2.5", "expected a whole number such as 42")]
    [InlineData("n", "true", "expected a whole number such as 42")]
    [InlineData("day", "20261124", "expected a date such as 2026-11-24")]
    [InlineData("currency", "\"GBP\"", "not one of the allowed values EUR, USD")]
    public void A_json_value_of_the_wrong_kind_is_a_problem_of_its_parameter(string name, string json, string detail)
    {
        var given = new Dictionary<string, ParameterInput> { ["day"] = ParameterInput.FromText("2026-11-24"), [name] = Json(json) };

        var problem = Assert.Single(RunParameters.Resolve(_pipeline, given).Problems);

        Assert.Equal((name, detail), (problem.Name, problem.Detail));
    }
}
