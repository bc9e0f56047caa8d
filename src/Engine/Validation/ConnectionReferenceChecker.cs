using Duraflow.Blocks.Text;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Validation;

/// <summary>
/// Checks that every connection a pipeline names (a block's <c>with: { connection: NAME }</c>, a blob_created trigger's
/// <c>connection</c>) exists in the selected io_config.yaml profile, and that a blob trigger's is an azure_blob one.
/// </summary>
internal static class ConnectionReferenceChecker
{
    private const string BlobType = "azure_blob";

    /// <summary>The pipeline with a located error added for each bad connection reference.</summary>
    public static ValidatedPipeline Check(ValidatedPipeline pipeline, IoConfig config, string profile)
    {
        // Unknown names (a file that is not YAML, a profile that does not exist) are reported once, by the caller.
        if (pipeline.Definition is not { } definition || config.NamesIn(profile) is not { } names)
        {
            return pipeline;
        }

        var connections = config.ConnectionsOf(profile);
        var diagnostics = new DiagnosticBag();
        foreach (var block in definition.Blocks)
        {
            if (block.ConnectionReference is { } reference)
            {
                CheckExists(reference, $"block '{block.Name}'", config, profile, names, diagnostics);
            }
        }

        foreach (var trigger in definition.Triggers.OfType<BlobCreatedTrigger>())
        {
            if (trigger.ConnectionReference is not { } reference
                || !CheckExists(reference, "the blob_created trigger", config, profile, names, diagnostics)
                || !connections.TryGetValue(reference.Name, out var connection)
                || connection.Type == BlobType)
            {
                continue;
            }

            diagnostics.Error(DiagnosticCodes.BadValue, reference.Location, $"the blob_created trigger uses connection '{reference.Name}', which is a {connection.Type} connection ({connection.Location}); it needs an {BlobType} connection");
        }

        if (diagnostics.Items.Count == 0)
        {
            return pipeline;
        }

        diagnostics.AddRange(pipeline.Diagnostics);
        return pipeline with { Diagnostics = diagnostics.Sorted() };
    }

    private static bool CheckExists(
        DefinitionReference reference, string user, IoConfig config, string profile, IReadOnlySet<string> names, DiagnosticBag diagnostics)
    {
        if (names.Contains(reference.Name))
        {
            return true;
        }

        var hint = EditDistance.DidYouMean(reference.Name, names);
        var known = !config.Exists
            ? $"the project has no {IoConfig.FileName}; add one with the connection under '{profile}:'"
            : names.Count == 0
                ? $"the profile has no connections; add it to {config.DisplayPath}"
                : $"connections are {string.Join(", ", names.Order(StringComparer.Ordinal))}";
        diagnostics.Error(DiagnosticCodes.UnknownConnection, reference.Location, $"{user} uses connection '{reference.Name}', which is not in profile '{profile}' of {IoConfig.FileName}; {hint}{known}");
        return false;
    }
}
