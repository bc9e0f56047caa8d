using Duraflow.Engine.Definitions;
using Duraflow.Engine.Loading;
using Duraflow.Engine.Validation;

namespace Duraflow.Engine.Projects;

/// <summary>Reads duraflow.yaml: <c>name</c>, <c>timezone</c>, <c>store: { type, path }</c>, <c>workers: { parallelism }</c>.</summary>
internal static class ProjectSettingsReader
{
    private static readonly string[] Keys = ["name", "timezone", "store", "workers"];
    private static readonly string[] StoreKeys = ["type", "path"];
    private static readonly string[] WorkerKeys = ["parallelism"];
    private static readonly string[] StoreTypes = ["sqlite", "azure"];

    public static ProjectSettings Read(string path, string displayPath, DiagnosticBag diagnostics)
    {
        var context = new LoadContext(displayPath, diagnostics);
        var stream = YamlDocuments.Load(File.ReadAllText(path), context);
        if (stream is null)
        {
            return ProjectSettings.Default;
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
        if (map["timezone"] is { } zoneNode && context.String(zoneNode, "'timezone'") is { } zone)
        {
            if (Schedules.IsIanaTimeZone(zone))
            {
                settings = settings with { TimeZone = zone };
            }
            else
            {
                context.Error(DiagnosticCodes.BadTimeZone, zoneNode, $"time zone '{zone}' is not an IANA time zone id; write for example Europe/Berlin, America/New_York or UTC");
            }
        }

        if (map["store"] is { } storeNode && context.Map(storeNode, "'store'", StoreKeys) is { } store)
        {
            if (store["type"] is { } typeNode && context.String(typeNode, "store 'type'") is { } type)
            {
                var index = Array.IndexOf(StoreTypes, type);
                if (index < 0)
                {
                    context.Error(DiagnosticCodes.BadValue, typeNode, $"store type '{type}' is not known; use sqlite or azure");
                }
                else
                {
                    settings = settings with { Store = (StoreKind)index };
                }
            }

            if (store["path"] is { } p && context.String(p, "store 'path'") is { } storePath)
            {
                settings = settings with { StorePath = storePath };
            }
        }

        if (map["workers"] is { } workersNode && context.Map(workersNode, "'workers'", WorkerKeys) is { } workers
            && workers["parallelism"] is { } parallelismNode && context.Int(parallelismNode, "workers 'parallelism'", min: 1) is { } parallelism)
        {
            settings = settings with { Parallelism = parallelism };
        }

        return settings;
    }
}
