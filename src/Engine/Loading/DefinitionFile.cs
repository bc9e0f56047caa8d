using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Loading;

/// <summary>Reads a definition file's text, turning a file that cannot be read into a located diagnostic.</summary>
internal static class DefinitionFile
{
    /// <summary>The text of <paramref name="path"/>, or null with <paramref name="problem"/> saying why it cannot be read.</summary>
    public static string? TryRead(string path, string displayPath, out Diagnostic? problem)
    {
        try
        {
            problem = null;
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = new Diagnostic(DiagnosticCodes.MissingFile, DiagnosticSeverity.Error, new SourceLocation(displayPath, 0, 0), $"cannot read the file: {e.Message}");
            return null;
        }
    }
}
