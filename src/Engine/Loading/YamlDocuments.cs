using Duraflow.Engine.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Duraflow.Engine.Loading;

/// <summary>Parses YAML text, turning every parser failure into a located DF014 instead of an exception.</summary>
internal static class YamlDocuments
{
    /// <summary>The parsed stream, or null after reporting why it could not be parsed.</summary>
    public static YamlStream? Load(string text, LoadContext context)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
            return stream;
        }
        catch (YamlException e)
        {
            context.Diagnostics.Error(DiagnosticCodes.YamlSyntax, context.At(e.Start), $"invalid YAML: {Describe(e)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this instead of a YamlException when the text ends inside an open flow collection.
            var lastLine = text.TrimEnd().Split('\n').Length;
            context.Diagnostics.Error(DiagnosticCodes.YamlSyntax, new SourceLocation(context.DisplayPath, lastLine, 1), "invalid YAML: the file ends before an opening '[', '{' or quote is closed");
        }

        return null;
    }

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the diagnostic has the location already.
    private static string Describe(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var separator = message.LastIndexOf("): ", StringComparison.Ordinal);
        return separator >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(separator + 3)..] : message;
    }
}
