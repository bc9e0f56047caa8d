using System.Text.RegularExpressions;

namespace Duraflow.Infra.Tests;

/// <summary>
/// Every identity gets exactly the roles it needs, on exactly the resource it needs them on: the app's identity on the
/// runtime account, the lake, the vault and Application Insights; Event Grid's identity on one queue and one container.
/// </summary>
public sealed partial class RoleAssignmentTests
{
    private const string AppIdentity = "[reference('identity').outputs.principalId.value]";
    private const string Deployer = "[parameters('principalId')]";
    private const string EventGridTopic = "[reference('topic', '2025-02-15', 'full').identity.principalId]";

    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string QueueDataMessageSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private static readonly ArmTemplate Main = ArmTemplate.Load(InfraPaths.CompiledMain);

    [Fact]
    public void EveryAssignment_IsOneOfTheExpected()
    {
        var runtimeAccount = Main.Variables["runtimeAccountName"]!.GetValue<string>();
        var lakeAccount = Main.Variables["lakeAccountName"]!.GetValue<string>();
        var expected = new HashSet<Grant>
        {
            new(AppIdentity, BlobDataOwner, $"storage account {runtimeAccount}"),
            new(AppIdentity, QueueDataContributor, $"storage account {runtimeAccount}"),
            new(AppIdentity, TableDataContributor, $"storage account {runtimeAccount}"),
            new(AppIdentity, BlobDataContributor, $"storage account {lakeAccount}"),
            new(AppIdentity, KeyVaultSecretsUser, "key vault"),
            new(AppIdentity, MonitoringMetricsPublisher, "application insights"),
            new(EventGridTopic, QueueDataMessageSender, $"blob events queue in {runtimeAccount}"),
            new(EventGridTopic, BlobDataContributor, $"dead-letter container in {runtimeAccount}"),
            new(Deployer, BlobDataContributor, $"storage account {lakeAccount}"),
            new(Deployer, KeyVaultSecretsOfficer, "key vault"),
        };

        var actual = Grants().ToHashSet();

        Assert.Equal(expected.Order().ToList(), actual.Order().ToList());
    }

    [Fact]
    public void TheAppIdentity_HasTheDataRolesDurablesAzureStorageProviderNeeds_OnTheAccountOfAzureWebJobsStorage()
    {
        // host.json's durableTask provider connects through AzureWebJobsStorage, whose __*ServiceUri settings are the
        // runtime account's endpoints: its task hub needs queues (control, work items), tables (history, instances,
        // partitions) and blobs with leases, so Blob Data Owner rather than Contributor.
        var runtimeAccount = Main.Variables["runtimeAccountName"]!.GetValue<string>();
        var app = Main.Module("app");
        Assert.Equal("[reference('runtimeStorage').outputs.queueEndpoint.value]", app.ParameterValues["runtimeQueueEndpoint"]!["value"]!.GetValue<string>());

        var onRuntime = Grants().Where(g => g.Principal == AppIdentity && g.Scope == $"storage account {runtimeAccount}").Select(g => g.Role).ToHashSet();

        Assert.Superset(new HashSet<string> { BlobDataOwner, QueueDataContributor, TableDataContributor }, onRuntime);
    }

    [Fact]
    public void Assignments_NameAManagedIdentityAsAServicePrincipal()
    {
        foreach (var assignment in Main.AllResources("Microsoft.Authorization/roleAssignments"))
        {
            var type = assignment.Template.Resolve(assignment.Json["properties"]!["principalType"], defaults: false)!.GetValue<string>();
            var principal = assignment.Template.Resolve(assignment.Json["properties"]!["principalId"], defaults: false)!.GetValue<string>();
            if (principal != Deployer)
            {
                // Without it, an assignment made seconds after the identity was created can fail on replication delay.
                Assert.True(type == "ServicePrincipal", $"{assignment}: principalType {type}");
            }
        }
    }

    [Fact]
    public void DeployerAssignments_AreMadeOnlyWhenThereIsADeployer()
    {
        var lake = Main.Template["resources"]!["deployerLakeRoles"]!["condition"]!.GetValue<string>();
        var officer = Main.Module("keyVault").Template["resources"]![2]!["condition"]!.GetValue<string>();

        Assert.Equal("[not(empty(parameters('principalId')))]", lake);
        Assert.Equal("[not(empty(parameters('officerPrincipalId')))]", officer);
    }

    [Fact]
    public void AssignmentNames_AreKnownBeforeDeployment()
    {
        // A role assignment's name must not change between deployments (it would fail with RoleAssignmentExists), so it
        // is seeded from names, never from a principal id that only exists after deployment.
        foreach (var assignment in Main.AllResources("Microsoft.Authorization/roleAssignments"))
        {
            var name = assignment.Json["name"]!.GetValue<string>();
            Assert.StartsWith("[guid(", name, StringComparison.Ordinal);
            Assert.DoesNotContain("reference(", name, StringComparison.Ordinal);
            foreach (var parameter in ParameterReference().Matches(name).Select(m => m.Value))
            {
                var origin = assignment.Template.Resolve($"[{parameter}]", defaults: false)!.ToJsonString();
                Assert.False(origin.Contains("reference(", StringComparison.Ordinal), $"{assignment}: its name depends on {parameter}, which is {origin}");
            }
        }
    }

    private static IEnumerable<Grant> Grants()
    {
        foreach (var assignment in Main.AllResources("Microsoft.Authorization/roleAssignments"))
        {
            var template = assignment.Template;
            var principal = template.Resolve(assignment.Json["properties"]!["principalId"], defaults: false)!.GetValue<string>();
            var scope = Scope(assignment);
            foreach (var role in Roles(assignment))
            {
                yield return new Grant(principal, role, scope);
            }
        }
    }

    // The role GUIDs of an assignment; a copy loop over parameters('roleDefinitionIds') gives one per element.
    private static IEnumerable<string> Roles(ArmResource assignment)
    {
        var expression = assignment.Json["properties"]!["roleDefinitionId"]!.GetValue<string>();
        var match = RoleDefinition().Match(expression);
        Assert.True(match.Success, $"{assignment}: roleDefinitionId {expression} is not subscriptionResourceId of a built-in role");
        var argument = match.Groups["id"].Value;
        if (argument == "parameters('roleDefinitionIds')[copyIndex()]")
        {
            Assert.Equal("[length(parameters('roleDefinitionIds'))]", assignment.Json["copy"]!["count"]!.GetValue<string>());
            return assignment.Template.ParameterValue("roleDefinitionIds")!.AsArray().Select(r => r!.GetValue<string>());
        }

        return [assignment.Template.Resolve($"[{argument}]")!.GetValue<string>()];
    }

    // What the assignment is scoped to, in words the expectations use.
    private static string Scope(ArmResource assignment)
    {
        var template = assignment.Template;
        var scope = assignment.Json["scope"]!.GetValue<string>();
        return scope switch
        {
            "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]" =>
                $"storage account {template.ParameterValue("storageAccountName")!.GetValue<string>()}",
            "[resourceId('Microsoft.KeyVault/vaults', parameters('name'))]" when template.Name == "keyVault" => "key vault",
            "[resourceId('Microsoft.Insights/components', parameters('appInsightsName'))]" => "application insights",
            "[resourceId('Microsoft.Storage/storageAccounts/queueServices/queues', parameters('runtimeAccountName'), 'default', parameters('queueName'))]"
                when template.ParameterValue("queueName")!.GetValue<string>() == Main.Variables["blobEventsQueue"]!.GetValue<string>()
                => $"blob events queue in {template.ParameterValue("runtimeAccountName")!.GetValue<string>()}",
            "[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('runtimeAccountName'), 'default', parameters('deadLetterContainerName'))]"
                when template.ParameterValue("deadLetterContainerName")!.GetValue<string>() == "eventgrid-deadletter"
                => $"dead-letter container in {template.ParameterValue("runtimeAccountName")!.GetValue<string>()}",
            _ => $"unexpected scope {scope} in module {template.Name}",
        };
    }

    [GeneratedRegex(@"parameters\('[A-Za-z0-9_]+'\)")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', (?<id>.+)\)\]$")]
    private static partial Regex RoleDefinition();

    private sealed record Grant(string Principal, string Role, string Scope) : IComparable<Grant>
    {
        public int CompareTo(Grant? other) => string.CompareOrdinal(ToString(), other?.ToString());
    }
}
