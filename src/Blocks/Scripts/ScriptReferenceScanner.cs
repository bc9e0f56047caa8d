using Duraflow.Blocks.Templates;
using Duraflow.Blocks.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Duraflow.Blocks.Scripts;

/// <summary>
/// Finds what a C# script reads by name: upstream blocks from its <c>Input("NAME")</c> and <c>Input&lt;T&gt;("NAME")</c>
/// calls, run parameters from <c>Param&lt;T&gt;("NAME")</c> and its block's settings from <c>Setting&lt;T&gt;("NAME")</c>,
/// so validation can infer dependencies and report names that do not exist before a run fails on them.
/// </summary>
/// <remarks>
/// The script is parsed (not compiled) with Roslyn, so calls inside comments or strings are not mistaken for
/// reads, and generic arguments of any depth are handled. A call whose argument is not a string literal
/// cannot be resolved before the run; a script that reads an input that way must list the block under <c>upstream:</c>.
/// </remarks>
internal static class ScriptReferenceScanner
{
    /// <summary>The root of a reference to one of the block's own <c>with:</c> settings (not a template root).</summary>
    public const string Settings = "settings";

    private static readonly Dictionary<string, string> RootsByMethod = new(StringComparer.Ordinal)
    {
        ["Input"] = TemplateRoots.Blocks,
        ["Param"] = TemplateRoots.Params,
        ["Setting"] = Settings,
    };

    /// <summary>Returns one reference per call with a literal name, in source order.</summary>
    public static IReadOnlyList<TemplateReference> Scan(string scriptText)
    {
        ArgumentNullException.ThrowIfNull(scriptText);
        var tree = CSharpSyntaxTree.ParseText(scriptText, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var root = tree.GetRoot();

        // A script may declare a method of the same name (a helper called Param); its calls are not the engine's.
        var declared = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.ValueText)
            .Concat(root.DescendantNodes().OfType<LocalFunctionStatementSyntax>().Select(f => f.Identifier.ValueText))
            .ToHashSet(StringComparer.Ordinal);
        var references = new List<TemplateReference>();
        foreach (var call in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (RootOf(call.Expression, declared) is not { } kind
                || call.ArgumentList.Arguments.Count == 0
                || call.ArgumentList.Arguments[0].Expression is not LiteralExpressionSyntax literal
                || !literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                continue;
            }

            var name = literal.Token.ValueText;
            var span = literal.GetLocation().GetLineSpan().StartLinePosition;
            references.Add(new TemplateReference(kind, name, $"{kind}.{name}", new TextPosition(span.Line + 1, span.Character + 1)));
        }

        return references;
    }

    // Param and Setting only as the script's own globals (`Param("x")`), since `row.Param("x")` is another object's
    // method and a wrong guess would refuse a valid pipeline. Input keeps matching `x.Input(...)` too: a missed input
    // only costs an explicit upstream, and scripts written before this relied on it.
    private static string? RootOf(ExpressionSyntax expression, HashSet<string> declared) => expression switch
    {
        IdentifierNameSyntax identifier when !declared.Contains(identifier.Identifier.ValueText) => RootsByMethod.GetValueOrDefault(identifier.Identifier.ValueText),
        GenericNameSyntax generic when !declared.Contains(generic.Identifier.ValueText) => RootsByMethod.GetValueOrDefault(generic.Identifier.ValueText),
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member => RootOf(member.Name, declared),
        MemberAccessExpressionSyntax member when RootOf(member.Name, declared) == TemplateRoots.Blocks => TemplateRoots.Blocks,
        _ => null,
    };
}
