using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Duraflow.Blocks.Scripts;

/// <summary>
/// Resolves a script's <c>#load</c> paths: a relative path against the folder of the script that contains it (the
/// script's path is relative to the project folder), an absolute one as it is; either must lead, symbolic links
/// followed, into the project folder. A path that leaves it resolves to nothing, so the script does not compile.
/// </summary>
internal sealed class ProjectSourceResolver : SourceReferenceResolver
{
    private readonly SourceReferenceResolver _files;

    public ProjectSourceResolver(string projectRoot)
    {
        ProjectRoot = Path.GetFullPath(projectRoot);
        _files = ScriptSourceResolver.Default.WithBaseDirectory(ProjectRoot);
    }

    /// <summary>The folder every loaded script must be in.</summary>
    public string ProjectRoot { get; }

    /// <summary>Where <paramref name="path"/>, written in the script at <paramref name="baseFilePath"/>, leads, inside or not.</summary>
    public string? ResolveAnywhere(string path, string? baseFilePath) => _files.ResolveReference(path, baseFilePath);

    /// <inheritdoc/>
    public override string? ResolveReference(string path, string? baseFilePath) =>
        ResolveAnywhere(path, baseFilePath) is { } resolved && LocalPaths.Outside(resolved, [ProjectRoot]) is null ? resolved : null;

    /// <inheritdoc/>
    public override string? NormalizePath(string path, string? baseFilePath) => _files.NormalizePath(path, baseFilePath);

    /// <inheritdoc/>
    public override Stream OpenRead(string resolvedPath) => _files.OpenRead(resolvedPath);

    /// <inheritdoc/>
    public override bool Equals(object? other) =>
        other is ProjectSourceResolver resolver && string.Equals(resolver.ProjectRoot, ProjectRoot, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ProjectRoot);
}
