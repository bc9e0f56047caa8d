using System.Reflection;
using System.Text.RegularExpressions;
using Azure.Identity;
using Duraflow.Api;
using Duraflow.Api.Auth;
using Duraflow.Api.Http;
using Duraflow.Api.Triggers;
using Duraflow.Api.Workers;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Secrets;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Functions;
using Microsoft.Azure.Functions.Worker;
using Duraflow.Tests;

namespace Duraflow.Infra.Tests;

/// <summary>
/// The app settings the deployment gives the function app, checked against what reads them: the app's options classes
/// and setting names, the engine's storage account parser, the queue triggers of the functions, and the Functions host. A
/// setting nothing reads, or a setting the app needs and does not get, fails here rather than in Azure.
/// </summary>
public sealed partial class AppSettingsTests
{
    private const string SampleClientId = "00000000-0000-0000-0000-0000000000c1";

    private static readonly ArmTemplate Main = ArmTemplate.Load(InfraPaths.CompiledMain);
    private static readonly ArmTemplate AppModule = Main.Module("app");

    // Values Azure fills in at deployment; the settings are evaluated with these.
    private static readonly Dictionary<string, string> Samples = new()
    {
        ["identityClientId"] = SampleClientId,
        ["runtimeBlobEndpoint"] = "https://stsample.blob.core.windows.net/",
        ["runtimeQueueEndpoint"] = "https://stsample.queue.core.windows.net/",
        ["runtimeTableEndpoint"] = "https://stsample.table.core.windows.net/",
        ["lakeBlobEndpoint"] = "https://dlsample.blob.core.windows.net/",
        ["appInsightsConnectionString"] = "InstrumentationKey=00000000-0000-0000-0000-0000000000a1;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
        ["keyVaultName"] = "kv-sample",
    };

    // Read by the Functions host or the Azure SDK rather than by our code.
    private static readonly HashSet<string> PlatformSettings =
    [
        "AZURE_CLIENT_ID",                   // DefaultAzureCredential: which managed identity Key Vault, the lake and SQL sign in with
        "FUNCTIONS_EXTENSION_VERSION",       // Elastic Premium: host version
        "FUNCTIONS_WORKER_RUNTIME",          // Elastic Premium: the .NET isolated worker
        "WEBSITE_RUN_FROM_PACKAGE",          // Elastic Premium: run the deployed zip
        "AzureWebJobsDisableHomepage",       // the host: no default page at /, where the dashboard answers
    ];

    // Read by the project's io_config.yaml as {{ env.NAME }}.
    private static readonly HashSet<string> ConnectionSettings = ["LAKE_ACCOUNT_URL", "SQL_CONNECTION_STRING"];

    // The options classes bound to configuration section Duraflow (Duraflow__X is Duraflow:X).
    private static readonly Type[] DuraflowSections = [typeof(ProjectOptions), typeof(LocalWorkerOptions), typeof(LocalTriggerOptions), typeof(ApiAuthOptions)];

    public static TheoryData<string> Plans() => ["FlexConsumption", "ElasticPremium"];

    [Theory]
    [MemberData(nameof(Plans))]
    public void EverySetting_IsReadBySomething(string plan)
    {
        var unread = Settings(plan).Keys.Where(name => !IsRead(name)).ToList();

        Assert.True(unread.Count == 0, $"app settings nothing reads: {string.Join(", ", unread)}");
    }

    [Fact]
    public void Storage_IsTheIdentityBasedAccountTheEngineAndHostRead()
    {
        var settings = Settings("FlexConsumption");

        var account = AzureStorageAccount.FromSettings("AzureWebJobsStorage", settings.ToDictionary(s => s.Key, s => (string?)s.Value));

        Assert.False(account.UsesConnectionString);
        Assert.Equal(new Uri(Samples["runtimeBlobEndpoint"]), account.BlobServiceUri);
        Assert.Equal(new Uri(Samples["runtimeQueueEndpoint"]), account.QueueServiceUri);
        Assert.Equal(new Uri(Samples["runtimeTableEndpoint"]), account.TableServiceUri);
        Assert.IsType<ManagedIdentityCredential>(account.Credential);
        Assert.Equal(SampleClientId, settings["AzureWebJobsStorage__clientId"]);
        Assert.DoesNotContain(settings.Keys, k => k.Equals("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TheApp_RunsTheAzureStore_OfThePackagedProject_WithQueuesTheFunctionsListenTo()
    {
        var settings = Settings("FlexConsumption");

        Assert.Equal("azure", settings["Duraflow__Store"]);
        Assert.Equal("duraflow", settings["Duraflow__StorePrefix"]);
        Assert.Equal(settings["Duraflow__StorePrefix"], settings[FunctionNames.QueuePrefixSetting]);
        new AzureStoreOptions { Prefix = settings["Duraflow__StorePrefix"] }.Validate();

        // scripts/package.sh puts the project in the zip's project/ folder, and the zip is mounted read-only.
        Assert.Equal("project", settings["Duraflow__Project"]);
        Assert.StartsWith("/tmp/", settings["Duraflow__LocalDirectory"], StringComparison.Ordinal);
        Assert.Equal("duraflow-blob-events", settings["DURAFLOW_BLOB_EVENTS_QUEUE"]);
        Assert.Equal("azure", settings[IoConfig.ProfileVariable]);
    }

    [Fact]
    public void EverySettingATriggerNames_IsSet()
    {
        var settings = Settings("FlexConsumption");
        var triggers = typeof(FunctionNames).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<QueueTriggerAttribute>())
            .OfType<QueueTriggerAttribute>()
            .ToList();
        var referenced = triggers.SelectMany(t => SettingReference().Matches(t.QueueName).Select(m => m.Groups["name"].Value)).Distinct().ToList();

        Assert.Equal([FunctionNames.BlobEventsQueueSetting, FunctionNames.QueuePrefixSetting], referenced.Order());
        Assert.All(referenced, name => Assert.True(settings.ContainsKey(name), $"a queue trigger names %{name}%, which is not an app setting"));

        // Every queue trigger uses the identity-based AzureWebJobsStorage (no connection named means that one).
        Assert.Equal(4, triggers.Count);
        Assert.All(triggers, t => Assert.True(string.IsNullOrEmpty(t.Connection) || t.Connection == "AzureWebJobsStorage", t.QueueName));
        Assert.Contains(settings.Keys, k => k.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal));
    }

    [Fact]
    public void TheDurableRuntime_IsTheDefault_WithATaskHubHostJsonNamesAndAzureStorageAccepts()
    {
        var settings = Settings("FlexConsumption");
        using var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        var durableTask = host.RootElement.GetProperty("extensions").GetProperty("durableTask");

        Assert.Equal($"%{FunctionNames.TaskHubSetting}%", durableTask.GetProperty("hubName").GetString());
        var hub = settings[FunctionNames.TaskHubSetting];
        Assert.Equal("duraflowtasks", hub);
        Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,44}$", hub);

        // The longest prefix the parameter allows still makes a valid hub name.
        var longest = Main.Template["parameters"]!["storePrefix"]!["maxLength"]!.GetValue<int>();
        Assert.True(longest + "tasks".Length <= 45, $"a {longest}-character store prefix makes a task hub name longer than 45");
        Assert.Equal("[format('{0}tasks', parameters('storePrefix'))]", Main.Variables["taskHub"]!.GetValue<string>());

        // The provider's connection is the identity-based AzureWebJobsStorage the host and engine use.
        Assert.Equal("AzureWebJobsStorage", durableTask.GetProperty("storageProvider").GetProperty("connectionName").GetString());
        Assert.Contains(settings.Keys, k => k.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal));

        // Empty by default: duraflow.yaml's runtime: decides, else the app's default (durable); the parameter overrides both.
        Assert.Equal("", settings["Duraflow__Runtime"]);
        Assert.Equal("", Main.ParameterValue("runtime")!.GetValue<string>());
        Assert.Equal(["", "durable", "duraflow"], Main.Template["parameters"]!["runtime"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ConnectorSecrets_AreKeyVaultReferences_UnderTheNamesTheEngineLooksUp()
    {
        var settings = Settings("FlexConsumption");
        var secrets = Main.ParameterValue("secretNames")!.AsArray().Select(s => s!.GetValue<string>()).ToList();

        Assert.Contains("warehouse_connection", secrets);
        foreach (var secret in secrets)
        {
            var variable = SecretNames.EnvironmentVariable(secret);
            Assert.True(settings.TryGetValue(variable, out var reference), $"no app setting {variable} for secret {secret}");
            Assert.Equal($"@Microsoft.KeyVault(VaultName={Samples["keyVaultName"]};SecretName={SecretNames.KeyVaultName(secret)})", reference);
        }

        Assert.All(
            settings.Where(s => s.Value.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal) && s.Key != "Duraflow__ApiKey"),
            s => Assert.StartsWith(SecretNames.EnvironmentPrefix, s.Key, StringComparison.Ordinal));
    }

    [Fact]
    public void TheApiKey_IsAKeyVaultReference_ToTheSecretTheHookCreates_AndNoConnectorSecretsName()
    {
        var settings = Settings("FlexConsumption");
        var secret = Main.Variables["apiKeySecretName"]!.GetValue<string>();
        var secrets = Main.ParameterValue("secretNames")!.AsArray().Select(s => SecretNames.KeyVaultName(s!.GetValue<string>()));

        Assert.Equal("duraflow-api-key", secret);
        Assert.Equal($"@Microsoft.KeyVault(VaultName={Samples["keyVaultName"]};SecretName={secret})", settings["Duraflow__ApiKey"]);
        Assert.DoesNotContain(secret, secrets);
        Assert.Equal("[variables('apiKeySecretName')]", Main.Outputs["DURAFLOW_API_KEY_SECRET"]!["value"]!.GetValue<string>());

        // The api function is anonymous to the host and the dashboard answers at the root: the app checks callers.
        Assert.Equal("true", settings["AzureWebJobsDisableHomepage"]);
        var api = typeof(ApiFunction).GetMethod(nameof(ApiFunction.RunAsync))!.GetParameters()[0].GetCustomAttribute<HttpTriggerAttribute>()!;
        Assert.Equal(AuthorizationLevel.Anonymous, api.AuthLevel);
        using var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")));
        Assert.Equal("", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void Entra_IsOffByDefault_AndEachSettingReachesTheAppsOptions()
    {
        var settings = Settings("FlexConsumption");

        foreach (var (parameter, setting) in new[]
        {
            ("entraAuthority", "Authority"), ("entraAudience", "Audience"), ("entraRequiredRole", "RequiredRole"),
            ("entraDashboardClientId", "DashboardClientId"), ("entraDashboardScope", "DashboardScope"),
        })
        {
            Assert.Equal("", Main.ParameterValue(parameter)!.GetValue<string>());
            Assert.Equal("", settings[$"Duraflow__Auth__Entra__{setting}"]);
            Assert.Equal($"[parameters('{parameter}')]", AppModule.ParameterValues[parameter]!["value"]!.GetValue<string>());
        }

        // Empty authority and audience leave Entra off, and the key from Key Vault is the way in.
        var options = new ApiAuthOptions
        {
            ApiKey = new string('k', ApiAuthModes.ShortestInternetKey),
            Auth = { Entra = { Authority = "", Audience = "", RequiredRole = "", DashboardClientId = "", DashboardScope = "" } },
        };
        Assert.False(options.Auth.Entra.Enabled);
        Assert.Equal(ApiAuthMode.ApiKey, ApiAuthModes.Resolve(options, underFunctionsHost: true, []));
    }

    [Fact]
    public void Telemetry_GoesToApplicationInsights_SignedInWithTheIdentity()
    {
        var settings = Settings("FlexConsumption");

        Assert.Equal(Samples["appInsightsConnectionString"], settings[ApiTelemetry.ConnectionStringSetting]);
        Assert.Equal($"ClientId={SampleClientId};Authorization=AAD", settings[ApiTelemetry.AuthenticationStringSetting]);
        Assert.Equal(SampleClientId, settings["AZURE_CLIENT_ID"]);
    }

    [Fact]
    public void Flex_TakesItsRuntimeFromFunctionAppConfig_AndPremiumFromSettings()
    {
        var flex = Settings("FlexConsumption");
        var premium = Settings("ElasticPremium");

        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", flex.Keys);
        Assert.DoesNotContain("WEBSITE_RUN_FROM_PACKAGE", flex.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", flex.Keys);
        Assert.Equal("dotnet-isolated", premium["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("~4", premium["FUNCTIONS_EXTENSION_VERSION"]);
        Assert.Equal("1", premium["WEBSITE_RUN_FROM_PACKAGE"]);
        Assert.DoesNotContain(premium.Keys, k => k.StartsWith("WEBSITE_CONTENT", StringComparison.Ordinal));

        var config = AppModule.Template["resources"]!["app"]!["properties"]!["functionAppConfig"]!.GetValue<string>();
        Assert.StartsWith("[if(variables('isFlex'), createObject('deployment'", config, StringComparison.Ordinal);
        Assert.Contains("'runtime', createObject('name', 'dotnet-isolated', 'version', '10.0')", config, StringComparison.Ordinal);
        Assert.Contains("'type', 'UserAssignedIdentity'", config, StringComparison.Ordinal);
        Assert.Contains("'type', 'blobContainer'", config, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAppSettingsList_IsTheUnionTheseTestsEvaluate()
    {
        // Settings() rebuilds the app's settings from these variables; if function-app.bicep composes them differently,
        // the tests above would be checking something else.
        Assert.Equal(
            "[union(variables('commonSettings'), variables('secretReferences'), if(variables('isFlex'), createObject(), variables('premiumSettings')), parameters('extraSettings'))]",
            AppModule.Variables["settings"]!.GetValue<string>());
        Assert.Equal(
            "[toObject(parameters('secretNames'), lambda('secret', format('DURAFLOW_SECRET_{0}', toUpper(lambdaVariables('secret')))), lambda('secret', format('@Microsoft.KeyVault(VaultName={0};SecretName={1})', parameters('keyVaultName'), replace(lambdaVariables('secret'), '_', '-'))))]",
            AppModule.Variables["secretReferences"]!.GetValue<string>());
        var appSettings = AppModule.Template["resources"]!["app"]!["properties"]!["siteConfig"]!["copy"]![0]!;
        Assert.Equal("[length(items(variables('settings')))]", appSettings["count"]!.GetValue<string>());
    }

    [Fact]
    public void SecretNames_AreWhatBothMappingsAgreeOn()
    {
        // Bicep maps a secret name with toUpper and replace('_', '-'); the engine with SecretNames. They agree on names
        // of letters, digits and underscores, which is what the secretNames parameter allows.
        foreach (var secret in Main.ParameterValue("secretNames")!.AsArray().Select(s => s!.GetValue<string>()))
        {
            Assert.Matches("^[A-Za-z0-9_]+$", secret);
            Assert.Equal($"DURAFLOW_SECRET_{secret.ToUpperInvariant()}", SecretNames.EnvironmentVariable(secret));
            Assert.Equal(secret.Replace('_', '-'), SecretNames.KeyVaultName(secret));
        }
    }

    [Fact]
    public void ConnectionSettings_AreUsedByTheExampleProjectOrDocumented()
    {
        var ioConfig = File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "io_config.yaml"));
        var deployDoc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "deploy.md"));

        Assert.Contains("{{ env.LAKE_ACCOUNT_URL }}", ioConfig, StringComparison.Ordinal);
        Assert.All(ConnectionSettings, name => Assert.Contains(name, deployDoc, StringComparison.Ordinal));
    }

    private static bool IsRead(string name)
    {
        if (PlatformSettings.Contains(name) || ConnectionSettings.Contains(name))
        {
            return true;
        }

        if (name.StartsWith(SecretNames.EnvironmentPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        if (name.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal))
        {
            return name["AzureWebJobsStorage__".Length..] is "blobServiceUri" or "queueServiceUri" or "tableServiceUri" or "credential" or "clientId";
        }

        if (name.StartsWith("Duraflow__", StringComparison.Ordinal))
        {
            var path = name["Duraflow__".Length..].Split("__");
            return DuraflowSections.Any(type => Binds(type, path));
        }

        return name is FunctionNames.QueuePrefixSetting or FunctionNames.BlobEventsQueueSetting or FunctionNames.TaskHubSetting
            or IoConfig.ProfileVariable
            or ApiTelemetry.ConnectionStringSetting or ApiTelemetry.AuthenticationStringSetting;
    }

    // Whether configuration binding fills a property at this path (names match ignoring case, as binding does).
    private static bool Binds(Type type, IEnumerable<string> path)
    {
        var (head, rest) = (path.First(), path.Skip(1).ToList());
        var property = type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, head, StringComparison.OrdinalIgnoreCase) && p.CanWrite);
        return property is not null && (rest.Count == 0 ? property.PropertyType.IsPrimitive || property.PropertyType == typeof(string) || Nullable.GetUnderlyingType(property.PropertyType) is not null : Binds(property.PropertyType, rest));
    }

    /// <summary>The app settings the app gets on <paramref name="plan"/>, evaluated with the sample values.</summary>
    private static Dictionary<string, string> Settings(string plan)
    {
        var variables = AppModule.Variables;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables["commonSettings"]!.AsObject())
        {
            settings[name] = ArmSample.Evaluate(AppModule, value, Samples);
        }

        foreach (var secret in AppModule.ParameterValue("secretNames")!.AsArray().Select(s => s!.GetValue<string>()))
        {
            settings[$"DURAFLOW_SECRET_{secret.ToUpperInvariant()}"] = $"@Microsoft.KeyVault(VaultName={Samples["keyVaultName"]};SecretName={secret.Replace('_', '-')})";
        }

        if (plan != "FlexConsumption")
        {
            foreach (var (name, value) in variables["premiumSettings"]!.AsObject())
            {
                settings[name] = ArmSample.Evaluate(AppModule, value, Samples);
            }
        }

        // main.bicep's extra settings: SQL_CONNECTION_STRING when deploySql is on.
        var extra = AppModule.ParameterValues["extraSettings"]!.GetValue<string>();
        Assert.StartsWith("[if(parameters('deploySql'), createObject('value', createObject('SQL_CONNECTION_STRING', ", extra, StringComparison.Ordinal);
        Assert.EndsWith("createObject('value', createObject()))]", extra, StringComparison.Ordinal);
        settings["SQL_CONNECTION_STRING"] = "(evaluated in Azure)";
        return settings;
    }

    [GeneratedRegex("%(?<name>[A-Za-z0-9_]+)%")]
    private static partial Regex SettingReference();

}
