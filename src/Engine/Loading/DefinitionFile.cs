using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Loading;

/// <summary>Reads a definition file's text, turning a file that cannot be read into a located diagnostic.</summary>
internal static class DefinitionFile
{
    // UTF-8 takes at most 4 bytes a character: a larger file is over the character limit whatever it holds.
    private const long MaxBytes = 4L * YamlDocuments.MaxCharacters;

    /// <summary>The text of <paramref name="path"/>, or null with <paramref name="problem"/> saying why it cannot be read.</summary>
    public static string? TryRead(string path, string displayPath, out Diagnostic? problem)
    {
        try
        {
            problem = null;
            return ReadText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = new Diagnostic(DiagnosticCodes.MissingFile, DiagnosticSeverity.Error, new SourceLocation(displayPath, 0, 0), $"cannot read the file: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// The text of <paramref name="path"/>. An entry of zero length is not opened: opening a named pipe (FIFO) would
    /// wait for a writer forever, and a device or an empty file holds no definition either way.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read, or is far larger than any definition.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static string ReadText(string path)
    {
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            return string.Empty;
        }

        return length > MaxBytes
            ? throw new IOException($"the file has {length:N0} bytes, far more than a definition file may have ({YamlDocuments.MaxCharacters:N0} characters)")
            : File.ReadAllText(path);
    }
}
