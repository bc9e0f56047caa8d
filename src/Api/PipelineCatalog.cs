using Duraflow.Blocks.Scripts;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Validation;

namespace Duraflow.Api;

/// <summary>
/// The project's pipelines as validated now: validated again only when a definition file changed
/// (<see cref="ProjectValidationCache"/>), so edits show without a restart and an unchanged project is not validated
/// on every request, tick or blob event.
/// </summary>
internal sealed class PipelineCatalog
{
    // One compiler for the life of the host, so a script is compiled once however often it is validated; it only
    // checks scripts and loads none, so it holds no memory per script beyond a hash.
    private readonly ProjectValidationCache _validation;

    public PipelineCatalog(AppProject project)
    {
        Root = project.Root;

        // Unchecked: a bad store setting must not stop validation; /api/ready reports it when the engine opens.
        var scripts = new ScriptCompiler(project.Unchecked().ScriptCacheDirectory);

        // Files are named relative to the project so API errors do not reveal the server's folders. Compiled blocks are
        // built (when blocks/ changed since their last build) and read, as duraflow run does: a class block's inputs
        // are its Run method's parameters, and a run pinned without them would start the block without its inputs.
        _validation = new ProjectValidationCache(
            Root, () => ProjectValidator.Validate(Root, displayRoot: Root, scripts: scripts, classes: CompiledBlocks.ForProject(Root, displayRoot: Root)));
    }

    public string Root { get; }

    /// <summary>How many times the project was validated since the app started (the rest came from the cache).</summary>
    public int Validations => _validation.Validations;

    /// <summary>The project's validation as of its files now.</summary>
    public ProjectValidation Validate() => _validation.Get();
}
