using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Duraflow.Tests;

namespace Duraflow.Infra.Tests;

/// <summary>Every parameter and output says what it is for; outputs follow azd's names; azure.yaml matches the template.</summary>
public sealed partial class ParameterTests
{
    private static readonly ArmTemplate Main = ArmTemplate.Load(InfraPaths.CompiledMain);

    [Fact]
    public void EveryParameterAndOutput_OfEveryModule_HasADescription()
    {
        var missing = Main.AllTemplates()
            .SelectMany(t => t.Parameters.Select(p => (t.Name, Kind: "parameter", p.Key, p.Value))
                .Concat(t.Outputs.Select(o => (t.Name, Kind: "output", o.Key, o.Value))))
            .Where(x => x.Value!["metadata"]?["description"]?.GetValue<string>() is not { Length: > 10 })
            .Select(x => $"{x.Kind} {x.Key} of module {x.Name}")
            .ToList();

        Assert.True(missing.Count == 0, $"without a description: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Outputs_AreUpperSnakeCase_ForAzdEnvironmentValues()
    {
        var outputs = Main.Outputs.Select(o => o.Key).ToList();

        Assert.All(outputs, name => Assert.Matches("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$", name));
        Assert.Contains("AZURE_FUNCTION_APP_NAME", outputs);
        Assert.Contains("AZURE_RESOURCE_GROUP", outputs);
        Assert.Contains("AZURE_KEY_VAULT_NAME", outputs);
        Assert.Contains("AZURE_LAKE_ACCOUNT_NAME", outputs);
    }

    [Fact]
    public void ParametersFile_SetsOnlyParametersThatExist_AndEveryRequiredOne()
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraPaths.Folder, "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = Main.Parameters;

        Assert.All(file, p => Assert.True(declared.ContainsKey(p.Key), $"main.parameters.json sets {p.Key}, which main.bicep lacks"));
        var required = declared.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key);
        Assert.All(required, name => Assert.True(file.ContainsKey(name), $"main.parameters.json does not set the required parameter {name}"));
        Assert.Equal("${AZURE_ENV_NAME}", file["environmentName"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", file["location"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_PRINCIPAL_ID}", file["principalId"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Location_IsAzdsLocationPicker_AndNoResourceHardCodesOne()
    {
        Assert.Equal("location", Main.Parameters["location"]!["metadata"]!["azd"]!["type"]!.GetValue<string>());
        foreach (var resource in Main.AllResources().Where(r => r.Json["location"] is not null))
        {
            Assert.StartsWith("[parameters('location')]", resource.Json["location"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AzureYaml_DeploysTheFunctionsProject_ToTheAppTheTemplateTags()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "azure.yaml"));
        var service = ServiceKey().Match(yaml);
        Assert.True(service.Success, "azure.yaml declares no service");

        var tags = Main.AllResources("Microsoft.Web/sites").Single().Json["tags"]!.GetValue<string>();
        Assert.Contains($"'azd-service-name', parameters('serviceName')", tags, StringComparison.Ordinal);
        Assert.Equal(service.Groups["name"].Value, Main.Module("app").ParameterValue("serviceName")!.GetValue<string>());

        Assert.Matches(@"host:\s*function", yaml);

        // azd builds a .NET project with dotnet publish: the isolated worker, which the app runs as dotnet-isolated.
        Assert.Matches(@"language:\s*dotnet\b", yaml);
        var project = Regex.Match(yaml, @"project:\s*(?<path>\S+)").Groups["path"].Value;
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, project, "Functions.csproj")), $"azure.yaml project {project} is not src/Functions");
        Assert.Matches(@"path:\s*infra", yaml);

        // Every resource group resource carries azd's environment tag.
        Assert.Equal("[variables('tags')]", Main.Template["resources"]!["group"]!["tags"]!.GetValue<string>());
        Assert.Equal("[parameters('environmentName')]", Main.Variables["tags"]!["azd-env-name"]!.GetValue<string>());
    }

    [GeneratedRegex(@"^services:\s*\n\s+(?<name>[a-z][a-z0-9-]*):", RegexOptions.Multiline)]
    private static partial Regex ServiceKey();
}
