namespace Duraflow.Infra.Tests;

/// <summary>
/// Nothing in the deployment authenticates with a key or a password, and everything that takes traffic takes HTTPS with
/// TLS 1.2 or later.
/// </summary>
public sealed class SecurityTests
{
    private static readonly ArmTemplate Main = ArmTemplate.Load(InfraPaths.CompiledMain);

    [Theory]
    [InlineData("listKeys")]
    [InlineData("listkeys")]
    [InlineData("listAccountSas")]
    [InlineData("listServiceSas")]
    [InlineData("AccountKey=")]
    [InlineData("SharedAccessSignature")]
    [InlineData("SharedAccessKey")]
    [InlineData("Password=")]
    [InlineData("administratorLoginPassword")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("DefaultEndpointsProtocol")]
    public void Template_HasNoKeysOrConnectionStringsWithKeys(string marker)
    {
        var text = File.ReadAllText(InfraPaths.CompiledMain);

        Assert.DoesNotContain(marker, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void StorageAccounts_RefuseSharedKeysPublicBlobsAndPlainHttp()
    {
        var accounts = Main.AllResources("Microsoft.Storage/storageAccounts").ToList();

        Assert.Equal(2, accounts.Count);
        foreach (var account in accounts)
        {
            Assert.False(account.Get("properties.allowSharedKeyAccess")!.GetValue<bool>(), $"{account}: shared keys");
            Assert.False(account.Get("properties.allowBlobPublicAccess")!.GetValue<bool>(), $"{account}: public blobs");
            Assert.True(account.Get("properties.supportsHttpsTrafficOnly")!.GetValue<bool>(), $"{account}: HTTP");
            Assert.True(account.Get("properties.defaultToOAuthAuthentication")!.GetValue<bool>(), $"{account}: portal signs in with Entra ID");
            Assert.Equal("TLS1_2", account.Get("properties.minimumTlsVersion")!.GetValue<string>());
        }
    }

    [Fact]
    public void TheLake_HasAHierarchicalNamespace_AndTheRuntimeAccountDoesNot()
    {
        var lake = Main.Module("lakeStorage").ParameterValue("hierarchicalNamespace");
        var runtime = Main.Module("runtimeStorage").ParameterValue("hierarchicalNamespace");

        Assert.True(lake!.GetValue<bool>());
        Assert.False(runtime!.GetValue<bool>());
    }

    [Fact]
    public void FunctionApp_IsHttpsOnly_WithTls12_AndNoPublishingPasswords()
    {
        var app = Main.AllResources("Microsoft.Web/sites").Single();

        Assert.True(app.Get("properties.httpsOnly")!.GetValue<bool>());
        Assert.Equal("1.2", app.Get("properties.siteConfig.minTlsVersion")!.GetValue<string>());
        Assert.Equal("1.2", app.Get("properties.siteConfig.scmMinTlsVersion")!.GetValue<string>());
        Assert.Equal("Disabled", app.Get("properties.siteConfig.ftpsState")!.GetValue<string>());

        var policies = Main.AllResources("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(["'ftp')]", "'scm')]"], policies.Select(p => p.Json["name"]!.GetValue<string>()[^7..]).Order());
        Assert.All(policies, p => Assert.False(p.Get("properties.allow")!.GetValue<bool>()));
    }

    [Fact]
    public void FunctionApp_RunsAsTheUserAssignedIdentity_AndResolvesKeyVaultReferencesWithIt()
    {
        var app = Main.AllResources("Microsoft.Web/sites").Single();

        Assert.Equal("UserAssigned", app.Get("identity.type")!.GetValue<string>());
        var identity = Assert.Single(app.Get("identity.userAssignedIdentities")!.AsObject());
        Assert.Equal("[format('{0}', parameters('identityId'))]", identity.Key);
        Assert.Equal("[parameters('identityId')]", app.Json["properties"]!["keyVaultReferenceIdentity"]!.GetValue<string>());
        Assert.Equal("[reference('identity').outputs.id.value]", app.Template.ParameterValue("identityId")!.GetValue<string>());
    }

    [Fact]
    public void KeyVault_UsesRbac_WithSoftDeleteAndPurgeProtection()
    {
        var vault = Main.AllResources("Microsoft.KeyVault/vaults").Single();

        Assert.True(vault.Get("properties.enableRbacAuthorization")!.GetValue<bool>());
        Assert.True(vault.Get("properties.enableSoftDelete")!.GetValue<bool>());
        Assert.True(vault.Get("properties.enablePurgeProtection")!.GetValue<bool>());
        Assert.Null(vault.Get("properties.accessPolicies"));
    }

    [Fact]
    public void Monitoring_AcceptsOnlyEntraIdTelemetry()
    {
        var insights = Main.AllResources("Microsoft.Insights/components").Single();
        var workspace = Main.AllResources("Microsoft.OperationalInsights/workspaces").Single();

        Assert.True(insights.Get("properties.DisableLocalAuth")!.GetValue<bool>());
        Assert.Contains("Microsoft.OperationalInsights/workspaces", insights.Get("properties.WorkspaceResourceId")!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(workspace.Get("properties.features.disableLocalAuth")!.GetValue<bool>());
    }

    [Fact]
    public void Sql_IsEntraIdOnly_WithTls12()
    {
        var server = Main.AllResources("Microsoft.Sql/servers").Single();

        Assert.Equal("1.2", server.Get("properties.minimalTlsVersion")!.GetValue<string>());
        Assert.True(server.Get("properties.administrators.azureADOnlyAuthentication")!.GetValue<bool>());
        Assert.Equal("ActiveDirectory", server.Get("properties.administrators.administratorType")!.GetValue<string>());
        Assert.Null(server.Get("properties.administratorLogin"));
        Assert.False(Main.ParameterValue("deploySql")!.GetValue<bool>(), "SQL is optional and off by default");
        Assert.Contains("deploySql", Main.Template["resources"]!["sql"]!["condition"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void SqlConnectionString_SignsInWithTheManagedIdentity()
    {
        var settings = Main.Module("app").ParameterValues["extraSettings"]!.GetValue<string>();

        Assert.Contains("Authentication=Active Directory Managed Identity", settings, StringComparison.Ordinal);
        Assert.Contains("Encrypt=True", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", settings, StringComparison.OrdinalIgnoreCase);
    }
}
