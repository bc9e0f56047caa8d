using Duraflow.Api.Setup;
using Duraflow.Engine.Projects;
using Duraflow.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Duraflow.Api.Tests.Workspaces;

/// <summary>
/// <c>Duraflow:Workspaces</c> as the server reads it: each wrong entry is named with its fix, and a server given one
/// does not start (nor does the Functions app serve any workspace).
/// </summary>
public sealed class WorkspaceFoldersTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public WorkspaceFoldersTests()
    {
        foreach (var project in new[] { "main", "a", "b" })
        {
            _folder.Write($"{project}/pipelines/p/pipeline.yaml", "name: p\nblocks:\n  - { name: a, uses: \"script:blocks/a.csx\" }\n");
        }

        _folder.Write("plain/readme.txt", "no project here");
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("Sales", "./a", "Duraflow:Workspaces:Sales: 'Sales' is not a workspace name")]
    [InlineData("s_1", "./a", "'s_1' is not a workspace name")]
    [InlineData("default", "./a", "'default' is the project served at /api")]
    [InlineData("a", "", "Duraflow:Workspaces:a must be the path of a project folder")]
    [InlineData("a", "./missing", "Duraflow:Workspaces:a: the folder ")]
    [InlineData("a", "./plain", "is not a project (it has no duraflow.yaml or pipelines folder)")]
    [InlineData("a", "./main", ", the folder of the default workspace")]
    public void A_wrong_workspace_is_named_with_its_fix(string name, string folder, string says)
    {
        var read = Read(new() { [$"Duraflow:Workspaces:{name}"] = folder });

        Assert.Empty(read.Folders);
        Assert.Contains(says, Assert.Single(read.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_workspace_given_as_a_section_a_bad_duraflow_yaml_two_workspaces_on_one_store_and_too_many_are_refused()
    {
        _folder.Write("b/duraflow.yaml", $"store:\n  path: {_folder.PathOf("a/.duraflow/duraflow.db")}\n");
        _folder.Write("c/duraflow.yaml", "store: [1, 2]\n");

        var section = Read(new() { ["Duraflow:Workspaces:a:path"] = "./a" });
        var shared = Read(new() { ["Duraflow:Workspaces:a"] = "./a", ["Duraflow:Workspaces:b"] = "./b" });
        var badYaml = Read(new() { ["Duraflow:Workspaces:c"] = "./c" });
        var many = Read(Enumerable.Range(0, WorkspaceFolders.Most + 1).ToDictionary(i => $"Duraflow:Workspaces:w{i}", _ => (string?)"./a"));

        Assert.Contains("Duraflow:Workspaces:a must be the path of a project folder", Assert.Single(section.Problems), StringComparison.Ordinal);
        Assert.Equal(["a"], shared.Folders.Select(f => f.Name));
        Assert.Contains("Duraflow:Workspaces:b: its duraflow.yaml's store (", Assert.Single(shared.Problems), StringComparison.Ordinal);
        Assert.Contains("is the store of workspace 'a'", shared.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Duraflow:Workspaces:c: ", Assert.Single(badYaml.Problems), StringComparison.Ordinal);
        Assert.Contains("duraflow.yaml", badYaml.Problems[0], StringComparison.Ordinal);
        Assert.Contains($"names {WorkspaceFolders.Most + 1} workspaces; one server serves at most {WorkspaceFolders.Most}", Assert.Single(many.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_to_a_workspaces_folder_or_to_a_folder_above_it_is_that_folder()
    {
        Directory.CreateSymbolicLink(_folder.PathOf("link"), _folder.PathOf("a"));
        Directory.CreateSymbolicLink(_folder.PathOf("above"), _folder.Root);

        var read = Read(new() { ["Duraflow:Workspaces:a"] = "./a", ["Duraflow:Workspaces:l"] = "./link", ["Duraflow:Workspaces:m"] = "./above/main" });

        Assert.Equal(["a"], read.Folders.Select(f => f.Name));
        Assert.Contains(read.Problems, p => p.Contains($"Duraflow:Workspaces:l is {_folder.PathOf("a")}, the folder of workspace 'a'", StringComparison.Ordinal));
        Assert.Contains(read.Problems, p => p.Contains($"Duraflow:Workspaces:m is {_folder.PathOf("main")}, the folder of the default workspace", StringComparison.Ordinal));
    }

    [Fact]
    public void Workspaces_given_as_one_value_or_on_one_azure_store_spelled_in_another_case_are_refused()
    {
        _folder.Write("a/duraflow.yaml", "store:\n  type: azure\n  connection: AzureWebJobsStorage\n  prefix: shared\n");
        _folder.Write("b/duraflow.yaml", "store:\n  type: azure\n  connection: azurewebjobsstorage\n  prefix: shared\n");

        var oneValue = Read(new() { ["Duraflow:Workspaces"] = "sales=./a" });
        var azure = Read(new() { ["Duraflow:Workspaces:a"] = "./a", ["Duraflow:Workspaces:b"] = "./b" });

        Assert.Contains("Duraflow:Workspaces is one value; name each workspace in a setting of its own", Assert.Single(oneValue.Problems), StringComparison.Ordinal);
        Assert.Contains("Duraflow:Workspaces:b: its duraflow.yaml's store (azure azurewebjobsstorage, prefix shared) is the store of workspace 'a'", Assert.Single(azure.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Good_workspaces_are_read_in_name_order_with_their_full_paths()
    {
        var read = Read(new() { ["Duraflow:Workspaces:b"] = "./b", ["Duraflow:Workspaces:a"] = _folder.PathOf("a") });

        Assert.Empty(read.Problems);
        Assert.Equal([("a", _folder.PathOf("a")), ("b", _folder.PathOf("b"))], read.Folders);
    }

    [Fact]
    public void A_server_with_a_wrong_workspace_does_not_start_and_says_which()
    {
        using var factory = new ApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Duraflow:Project", _folder.PathOf("main"));
            b.UseSetting("Duraflow:ApiKey", "k");
            b.UseSetting("Duraflow:Workspaces:a", "./missing");
        });

        var refused = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("the workspaces are wrong, so nothing is served", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Duraflow:Workspaces:a: the folder ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_functions_app_refuses_workspaces_naming_the_setting_and_one_app_per_workspace()
    {
        var folders = Read(new() { ["Duraflow:Workspaces:a"] = "./a" });
        using var services = new ServiceCollection().BuildServiceProvider();
        var hosts = new WorkspaceHosts(services, folders, new ApiHosting(UnderFunctionsHost: true));

        var refused = Assert.Throws<InvalidOperationException>(() => hosts.All);

        Assert.Contains("Duraflow:Workspaces is set, but the Functions app serves one project: deploy one app per workspace", refused.Message, StringComparison.Ordinal);
    }

    private WorkspaceFolders Read(Dictionary<string, string?> settings) =>
        WorkspaceFolders.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _folder.Root, () => DuraflowProject.Open(_folder.PathOf("main")));
}
