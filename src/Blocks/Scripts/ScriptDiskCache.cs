using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;

namespace Duraflow.Blocks.Scripts;

/// <summary>
/// The folder that keeps compiled scripts between processes: one <c>HASH.dll</c> per distinct script, where HASH is
/// the SHA-256 of the script's text and of everything else that shapes the compiled code.
/// </summary>
/// <remarks>
/// Only scripts that compiled are written, each to a temporary file that is then renamed over the final name, so a
/// reader sees a whole file or none; processes that compile the same script at once each write a complete file
/// and the last rename wins. Reads and writes never fail the caller: a folder that cannot be written (a read-only
/// deployment) only means compiling again, and a file that cannot be read or loaded is rebuilt.
/// </remarks>
internal sealed class ScriptDiskCache
{
    /// <summary>
    /// What besides the text decides the compiled code: this assembly (which holds <see cref="ScriptGlobals"/> and
    /// the compile options), the compiler and the runtime whose assemblies the script is compiled against. A change
    /// to any of them gives new names, so a changed SDK never loads a stale build.
    /// </summary>
    internal static readonly string BuildFingerprint = string.Join(
        '\n',
        "duraflow script cache 1",
        typeof(ScriptGlobals).Assembly.FullName,
        typeof(ScriptGlobals).Assembly.ManifestModule.ModuleVersionId.ToString(),
        VersionOf(typeof(CSharpCompilation).Assembly),
        VersionOf(typeof(CSharpScript).Assembly),
        RuntimeInformation.FrameworkDescription);

    private readonly byte[] _fingerprint;

    /// <summary>Creates the cache over <paramref name="directory"/>.</summary>
    /// <param name="directory">The cache folder.</param>
    /// <param name="fingerprint"><see cref="BuildFingerprint"/>, or another text in tests that play another build.</param>
    public ScriptDiskCache(string directory, string fingerprint)
    {
        Folder = Path.GetFullPath(directory);
        _fingerprint = Encoding.UTF8.GetBytes(fingerprint + "\n");
    }

    /// <summary>The full path of the cache folder; it is created on the first write.</summary>
    public string Folder { get; }

    /// <summary>The file that holds (or will hold) the compiled form of <paramref name="code"/>.</summary>
    public string PathFor(string code)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_fingerprint);
        hash.AppendData(Encoding.UTF8.GetBytes(code));
        return Path.Combine(Folder, Convert.ToHexStringLower(hash.GetHashAndReset()) + ".dll");
    }

    /// <summary>The bytes of <paramref name="path"/>, or null when it does not exist or cannot be read.</summary>
    public static byte[]? TryRead(string path)
    {
        try
        {
            // FileShare.Delete lets another process rename a rebuilt file over this one while it is read (Windows).
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> atomically, or not at all.</summary>
    public void TryWrite(string path, byte[] image)
    {
        // Unique per writer, and in the same folder so that the rename stays on one file system and is atomic.
        var temporary = Path.Combine(Folder, $"{Path.GetFileNameWithoutExtension(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(Folder);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                // No flush to disk: a process that dies still leaves the data to the OS, and a file damaged by a
                // power cut fails to load and is rebuilt, which costs one compilation.
                stream.Write(image);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for whoever clears the cache folder; it is never read.
        }
    }

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? assembly.ManifestModule.ModuleVersionId.ToString();
}
