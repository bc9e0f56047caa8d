using Duraflow.Engine.Projects;
using Microsoft.Extensions.Options;

namespace Duraflow.Functions;

/// <summary>The project's pipelines, validated on each request so edits show without a restart.</summary>
internal sealed class PipelineCatalog(IOptions<ProjectOptions> options, IHostEnvironment environment)
{
    public string Root { get; } = Path.GetFullPath(options.Value.Project ?? environment.ContentRootPath);

    // Files are named relative to the project so API errors do not reveal the server's folders.
    public ProjectValidation Validate() => ProjectValidator.Validate(Root, displayRoot: Root);
}
