using Duraflow.Blocks.Scripts;
using Duraflow.Engine.Validation;

namespace Duraflow.Functions;

/// <summary>The project's pipelines, validated on each request so edits show without a restart.</summary>
internal sealed class PipelineCatalog
{
    // One compiler for the life of the host, so a script is compiled once however often it is validated; it only
    // checks scripts and loads none, so it holds no memory per script beyond a hash.
    private readonly ScriptCompiler _scripts;

    public PipelineCatalog(AppProject project)
    {
        Root = project.Root;

        // Unchecked: a bad store setting must not stop validation; /api/ready reports it when the engine opens.
        _scripts = new ScriptCompiler(project.Unchecked().ScriptCacheDirectory);
    }

    public string Root { get; }

    // Files are named relative to the project so API errors do not reveal the server's folders.
    public ProjectValidation Validate() => ProjectValidator.Validate(Root, displayRoot: Root, scripts: _scripts);
}
