using Duraflow.Blocks.Templates;
using Duraflow.Blocks.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Duraflow.Blocks.Scripts;

/// <summary>
/// Finds the upstream blocks a C# script reads, from its <c>Input("NAME")</c> and <c>Input&lt;T&gt;("NAME")</c> calls.
/// </summary>
/// <remarks>
/// The script is parsed (not compiled) with Roslyn, so calls inside comments or strings are not mistaken for
/// inputs, and generic arguments of any depth are handled. A call whose argument is not a string literal
/// cannot be resolved before the run; such scripts must list the block under <c>upstream:</c>.
/// </remarks>
internal static class ScriptInputScanner
{
    private const string InputMethod = "Input";

    /// <summary>Returns one reference per <c>Input</c> call with a literal name, in source order.</summary>
    public static IReadOnlyList<TemplateReference> Scan(string scriptText)
    {
        ArgumentNullException.ThrowIfNull(scriptText);
        var tree = CSharpSyntaxTree.ParseText(scriptText, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var references = new List<TemplateReference>();
        foreach (var call in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (!IsInputCall(call.Expression)
                || call.ArgumentList.Arguments.Count == 0
                || call.ArgumentList.Arguments[0].Expression is not LiteralExpressionSyntax literal
                || !literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                continue;
            }

            var name = literal.Token.ValueText;
            var span = literal.GetLocation().GetLineSpan().StartLinePosition;
            references.Add(new TemplateReference(
                TemplateRoots.Blocks, name, $"{TemplateRoots.Blocks}.{name}", new TextPosition(span.Line + 1, span.Character + 1)));
        }

        return references;
    }

    private static bool IsInputCall(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == InputMethod,
        GenericNameSyntax generic => generic.Identifier.ValueText == InputMethod,
        MemberAccessExpressionSyntax member => IsInputCall(member.Name),
        _ => false,
    };
}
