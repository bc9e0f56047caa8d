using System.Text.RegularExpressions;
using Duraflow.Blocks;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Loading;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Projects;

/// <summary>
/// Reads duraflow.yaml: <c>name</c>, <c>timezone</c>, <c>runtime</c>, <c>store: { type, path, durability, connection, prefix }</c>,
/// <c>workers: { parallelism, lease, max_deliveries }</c>, <c>secrets: { key_vault, cache_ttl }</c>,
/// <c>files: { roots }</c>, <c>retention: { runs, audit }</c>, <c>alerts: { dashboard_url, send }</c>,
/// <c>ai: { provider, endpoint, model, api_key }</c>.
/// </summary>
internal static partial class ProjectSettingsReader
{
    private static readonly string[] Keys = ["name", "timezone", "runtime", "store", "workers", "secrets", "files", "retention", "limits", "alerts", "ai"];
    private static readonly string[] AlertKeys = ["dashboard_url", "send"];
    private static readonly string[] RetentionKeys = ["runs", "audit"];
    private static readonly string[] FileKeys = ["roots"];
    private static readonly string[] StoreKeys = ["type", "path", "durability", "connection", "prefix"];
    private static readonly string[] WorkerKeys = ["parallelism", "lease", "max_deliveries"];
    private static readonly string[] SecretKeys = ["key_vault", "cache_ttl"];
    private static readonly string[] Durabilities = ["full", "normal"];
    private static readonly string[] StoreTypes = ["sqlite", "azure"];

    public static ProjectSettings Read(string path, string displayPath, DiagnosticBag diagnostics)
    {
        var context = new LoadContext(displayPath, diagnostics);
        if (DefinitionFile.TryRead(path, displayPath, out var problem) is not { } text)
        {
            diagnostics.AddRange([problem!]);
            return ProjectSettings.Default;
        }

        var stream = YamlDocuments.Load(text, context);
        if (stream is null)
        {
            return ProjectSettings.Default;
        }

        if (stream.Documents.Count > 1)
        {
            context.Error(DiagnosticCodes.YamlSyntax, stream.Documents[1].RootNode, "duraflow.yaml holds one document; remove the second '---'");
        }

        if (stream.Documents.Count == 0 || LoadContext.IsNull(stream.Documents[0].RootNode))
        {
            return ProjectSettings.Default;
        }

        var map = context.Map(stream.Documents[0].RootNode, "duraflow.yaml", Keys);
        if (map is null)
        {
            return ProjectSettings.Default;
        }

        var settings = ProjectSettings.Default with
        {
            Name = map["name"] is { } n ? context.String(n, "'name'") : null,
        };
        if (map["timezone"] is { } zoneNode && context.TimeZone(zoneNode, "'timezone'") is { } zone)
        {
            settings = settings with { TimeZone = zone };
        }

        if (map["runtime"] is { } runtimeNode && context.Choice(runtimeNode, RuntimeNames.All, "'runtime'") is { } runtime)
        {
            settings = settings with { Runtime = (RuntimeKind)runtime };
        }

        if (map["store"] is { } storeNode && context.Map(storeNode, "'store'", StoreKeys) is { } store)
        {
            settings = ReadStore(context, store, settings);
        }

        if (map["workers"] is { } workersNode && context.Map(workersNode, "'workers'", WorkerKeys) is { } workers)
        {
            if (workers["parallelism"] is { } parallelismNode && context.Int(parallelismNode, "workers 'parallelism'", min: 1) is { } parallelism)
            {
                settings = settings with { Parallelism = parallelism };
            }

            if (workers["lease"] is { } leaseNode && context.Duration(leaseNode, "workers 'lease'") is { } lease)
            {
                settings = settings with { Lease = lease };
            }

            if (workers["max_deliveries"] is { } deliveriesNode && context.Int(deliveriesNode, "workers 'max_deliveries'", min: 1) is { } deliveries)
            {
                settings = settings with { MaxDeliveries = deliveries };
            }
        }

        if (map["secrets"] is { } secretsNode && context.Map(secretsNode, "'secrets'", SecretKeys) is { } secrets)
        {
            settings = settings with { Secrets = ReadSecrets(context, secrets) };
        }

        if (map["files"] is { } filesNode && context.Map(filesNode, "'files'", FileKeys) is { } files && files["roots"] is { } rootsNode)
        {
            settings = settings with { FileRoots = ReadFileRoots(context, rootsNode) };
        }

        if (map["retention"] is { } retentionNode && context.Map(retentionNode, "'retention'", RetentionKeys) is { } retention)
        {
            if (retention["runs"] is { } runsNode && ReadRetainRuns(context, runsNode) is { } keep)
            {
                settings = settings with { RetainRuns = keep };
            }

            if (retention["audit"] is { } auditNode && ReadRetainAudit(context, auditNode) is { } keepAudit)
            {
                settings = settings with { RetainAudit = keepAudit };
            }
        }

        if (map["limits"] is { } limitsNode)
        {
            settings = settings with { Limits = LimitsReader.Read(context, limitsNode) };
        }

        if (map["alerts"] is { } alertsNode && context.Map(alertsNode, "'alerts'", AlertKeys) is { } alerts)
        {
            settings = settings with
            {
                DashboardUrl = alerts["dashboard_url"] is { } urlNode ? ReadDashboardUrl(context, urlNode) : null,
                Alerts = alerts["send"] is { } sendNode ? AlertReader.ReadProject(context, sendNode) : [],
            };
        }

        if (map["ai"] is { } aiNode)
        {
            settings = settings with { Ai = AiSettingsReader.Read(context, aiNode) };
        }

        return settings;
    }

    // Links in alerts are opened by people elsewhere, so the same rule as a destination: https, or http to this machine.
    private static Uri? ReadDashboardUrl(LoadContext context, YamlNode node)
    {
        if (context.Scalar(node, "alerts 'dashboard_url'") is not { } scalar)
        {
            return null;
        }

        var text = scalar.Value ?? "";
        if (Definitions.AlertUrls.Refusal(text) is { } refusal)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"alerts 'dashboard_url' '{text}' {refusal}; write the address the dashboard is served at, such as https://flows.example.com");
            return null;
        }

        return new Uri(text);
    }

    // The sweeper purges unattended, so an age that would purge runs while someone still looks at them is refused.
    private static TimeSpan? ReadRetainRuns(LoadContext context, YamlNode node)
    {
        if (context.Duration(node, "retention 'runs'") is not { } keep)
        {
            return null;
        }

        var text = ((YamlScalarNode)node).Value ?? "";
        if (keep < PurgeAge.ShortestSetting)
        {
            context.Error(DiagnosticCodes.BadValue, node,
                $"retention 'runs' '{text}' is shorter than {Duration.Format(PurgeAge.ShortestSetting)}, the least the sweeper keeps a finished run; "
                + "write for example 30d (or purge sooner by hand with duraflow runs purge --older-than)");
            return null;
        }

        if (PurgeAge.Check(keep, text) is { } problem)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"retention 'runs' {problem}");
            return null;
        }

        return keep;
    }

    // The audit log is what shows who changed what; a day is the least kept, so an incident can still be looked into.
    private static TimeSpan? ReadRetainAudit(LoadContext context, YamlNode node)
    {
        if (context.Duration(node, "retention 'audit'") is not { } keep)
        {
            return null;
        }

        var text = ((YamlScalarNode)node).Value ?? "";
        if (keep < TimeSpan.FromDays(1) || keep > PurgeAge.Longest)
        {
            context.Error(DiagnosticCodes.BadValue, node, $"retention 'audit' '{text}' must be from 1d to 36500d; write for example 365d (the default)");
            return null;
        }

        return keep;
    }

    private static ProjectSettings ReadStore(LoadContext context, YamlMap store, ProjectSettings settings)
    {
        if (store["type"] is { } typeNode && context.Choice(typeNode, StoreTypes, "store 'type'") is { } index)
        {
            settings = settings with { Store = (StoreKind)index };
        }

        if (store["path"] is { } p && context.String(p, "store 'path'") is { } storePath)
        {
            // A relative path stays in the project; a store elsewhere is a deliberate choice, written out whole.
            var somewhere = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "project"));
            if (!Path.IsPathRooted(storePath) && !LocalPaths.IsInside(Path.GetFullPath(storePath, somewhere), somewhere))
            {
                context.Error(DiagnosticCodes.BadValue, p,
                    $"store 'path' '{storePath}' leads out of the project folder; keep it inside (such as .duraflow/duraflow.db), or write the absolute path of a store kept elsewhere");
            }
            else
            {
                settings = settings with { StorePath = storePath };
            }
        }

        if (store["durability"] is { } d && context.Choice(d, Durabilities, "store 'durability'") is { } durability)
        {
            settings = settings with { SyncEveryCommit = durability == 0 };
        }

        if (store["connection"] is { } connectionNode && context.String(connectionNode, "store 'connection'") is { } connection)
        {
            if (SettingName().IsMatch(connection))
            {
                settings = settings with { StoreConnection = connection };
            }
            else
            {
                // The likely mistake is the connection string itself, which would put an account key in a file that is
                // committed; the setting's name keeps the secret in the environment.
                var what = connection.Contains('=', StringComparison.Ordinal) ? "looks like a connection string; it must be" : "must be";
                context.Error(DiagnosticCodes.BadValue, connectionNode,
                    $"store 'connection' {what} the name of the environment variable that holds the connection string (letters, digits and '_'), "
                    + "such as AzureWebJobsStorage, so that no key is written in duraflow.yaml");
            }
        }

        if (store["prefix"] is { } prefixNode && context.String(prefixNode, "store 'prefix'") is { } prefix)
        {
            try
            {
                // The store's own rule, so a prefix accepted here never fails when the store opens.
                new AzureStoreOptions { Prefix = prefix }.Validate("store 'prefix'");
                settings = settings with { StorePrefix = prefix };
            }
            catch (InvalidOperationException e)
            {
                context.Error(DiagnosticCodes.BadValue, prefixNode, e.Message);
            }
        }

        // Written next to type azure, the SQLite keys suggest they matter; they do only with --store sqlite.
        if (settings.Store == StoreKind.Azure)
        {
            foreach (var key in new[] { "path", "durability" })
            {
                if (store[key] is { } node)
                {
                    context.Diagnostics.Warning(DiagnosticCodes.IgnoredSetting, context.At(node),
                        $"store '{key}' is used by the sqlite store only; with type 'azure' it has no effect (it applies with --store sqlite)");
                }
            }
        }

        return settings;
    }

    // Absolute folders only: a relative one would be inside the project, which is allowed anyway.
    private static List<string> ReadFileRoots(LoadContext context, YamlNode node)
    {
        var roots = new List<string>();
        foreach (var scalar in context.ScalarList(node, "files 'roots'"))
        {
            var root = scalar.Value ?? "";
            if (!Path.IsPathRooted(root) || root.Contains("{{", StringComparison.Ordinal))
            {
                context.Error(DiagnosticCodes.BadValue, scalar,
                    $"files 'roots' lists folders outside the project by absolute path, such as /data/landing, not '{root}'; paths inside the project need no entry");
                continue;
            }

            roots.Add(Path.GetFullPath(root));
        }

        return roots;
    }

    private static SecretSettings ReadSecrets(LoadContext context, YamlMap secrets)
    {
        var result = SecretSettings.Default;
        if (secrets["key_vault"] is { } vaultNode && context.String(vaultNode, "secrets 'key_vault'") is { } vault)
        {
            if (Uri.TryCreate(vault, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0)
            {
                result = result with { KeyVault = uri };
            }
            else
            {
                context.Error(DiagnosticCodes.BadValue, vaultNode, $"secrets 'key_vault' '{vault}' must be the vault's https URL, such as https://myvault.vault.azure.net/");
            }
        }

        if (secrets["cache_ttl"] is { } ttlNode && context.Duration(ttlNode, "secrets 'cache_ttl'") is { } ttl)
        {
            result = result with { CacheTtl = ttl };
        }

        return result;
    }

    // An environment variable name as shells and app settings accept it; '__' separates identity-based settings.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SettingName();
}
