using System.Text;
using Duraflow.Engine.Projects;

namespace Duraflow.Api.Generation;

/// <summary>
/// How generation changes a project's files: one writer at a time across processes (the CLI beside a server), and
/// pipeline.yaml replaced whole, keeping what the user set on the file.
/// </summary>
internal static class ProjectFileWrites
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Holds the project's generation lock (<c>.duraflow/generate.lock</c> in the project folder, wherever the store
    /// and local files are, so every process writing to the project takes the same one) until disposed; an
    /// exclusive open, which the system also keeps between processes.
    /// </summary>
    /// <exception cref="GenerationException">Another generation held it for longer than half a minute.</exception>
    public static IDisposable Lock(DuraflowProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var folder = Path.Combine(project.Root, DuraflowProject.LocalFolderName);
        var path = Path.Combine(folder, "generate.lock");
        var until = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                Directory.CreateDirectory(folder);
                var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None);
                Interlocked.Increment(ref _writing);
                return new Held(held);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new GenerationException($"{path} cannot be created or opened by this user ({e.Message}); nothing was written", GenerationFailure.Refused, e);
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                // Held by another process's write, which takes milliseconds; wait for it rather than fail.
                Thread.Sleep(50);
            }
            catch (IOException e)
            {
                throw new GenerationException($"another generation kept {path} locked for {LockWait.TotalSeconds:0} s; nothing was written, so run again", GenerationFailure.Refused, e);
            }
        }
    }

    /// <summary>True while this process holds the lock: a write is under way, which Ctrl-C must not cut in half.</summary>
    public static bool Writing => Volatile.Read(ref _writing) > 0;

    private static int _writing;

    /// <summary>
    /// Replaces the text of <paramref name="path"/>: written beside the file and moved over it, so a reader (the
    /// server's folder watcher, a run starting) sees the old text or the new. Through a symbolic link the file it
    /// points at is replaced; a byte order mark and the file's permissions stay.
    /// </summary>
    public static void Replace(string path, string text)
    {
        var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: StartsWithByteOrderMark(target));
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, text, encoding);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static bool StartsWithByteOrderMark(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> start = stackalloc byte[3];
        return stream.Read(start) == 3 && start.SequenceEqual(Encoding.UTF8.Preamble);
    }

    private sealed class Held(FileStream stream) : IDisposable
    {
        public void Dispose()
        {
            stream.Dispose();
            Interlocked.Decrement(ref _writing);
        }
    }
}
