using Duraflow.Engine.Definitions;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>
/// Reads a pipeline's or block's <c>limits:</c>, a list of duraflow.yaml limit names (one name alone is a list of one),
/// keeping where each is written; whether duraflow.yaml defines them is checked with the project.
/// </summary>
internal static class LimitListReader
{
    /// <summary>The root of a reference to a limit of duraflow.yaml's <c>limits:</c>.</summary>
    public const string Root = "limits";

    private const int MostPerList = 10;

    public static IReadOnlyList<DefinitionReference> Read(LoadContext context, YamlNode node, string what)
    {
        var names = context.ScalarList(node, what);
        if (names.Count > MostPerList)
        {
            context.Error(Diagnostics.DiagnosticCodes.BadValue, node, $"{what} lists {names.Count} limits; at most {MostPerList}");
            return [];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var references = new List<DefinitionReference>();
        foreach (var scalar in names)
        {
            if (context.Name(scalar, $"each limit of {what}") is not { } name)
            {
                continue;
            }

            if (!seen.Add(name))
            {
                context.Error(Diagnostics.DiagnosticCodes.DuplicateName, scalar, $"{what} lists limit '{name}' twice; keep one");
                continue;
            }

            references.Add(new DefinitionReference(Root, name, context.At(scalar)));
        }

        return references;
    }
}
