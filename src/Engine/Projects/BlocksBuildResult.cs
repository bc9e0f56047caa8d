using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Projects;

/// <summary>The outcome of <see cref="BlocksBuilder.Build"/>.</summary>
/// <param name="HasProject">False when the project has no <c>blocks/*.csproj</c>.</param>
/// <param name="OutputDirectory">Where the built assemblies are; null when there is nothing to load.</param>
/// <param name="Diagnostics">Why the build failed: compiler errors where they are, or a problem with the project.</param>
/// <param name="Compiled">True when this call ran <c>dotnet build</c>; false when the last build was still current.</param>
internal sealed record BlocksBuildResult(bool HasProject, string? OutputDirectory, IReadOnlyList<Diagnostic> Diagnostics, bool Compiled);
