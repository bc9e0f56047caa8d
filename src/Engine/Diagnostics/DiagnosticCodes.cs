namespace Duraflow.Engine.Diagnostics;

/// <summary>
/// Stable diagnostic codes. A code never changes meaning once released; docs/pipelines.md lists them all.
/// </summary>
internal static class DiagnosticCodes
{
    /// <summary>A reference (upstream, <c>{{ blocks.X }}</c> or <c>Input("X")</c>) names no block of the pipeline.</summary>
    public const string UnknownBlockReference = "DF001";

    /// <summary>Blocks depend on each other in a cycle.</summary>
    public const string Cycle = "DF002";

    /// <summary>Two blocks (or two pipelines of a project) share a name.</summary>
    public const string DuplicateName = "DF003";

    /// <summary>A pipeline, block or parameter name does not match <c>^[a-z][a-z0-9_]{0,62}$</c>.</summary>
    public const string BadName = "DF004";

    /// <summary>A key that the definition format does not know.</summary>
    public const string UnknownKey = "DF005";

    /// <summary>A duration that is not like <c>500ms</c>, <c>10s</c>, <c>5m</c>, <c>1h</c> or <c>1d</c>.</summary>
    public const string BadDuration = "DF006";

    /// <summary>A cron expression that does not parse.</summary>
    public const string BadCron = "DF007";

    /// <summary>A script or SQL file named by <c>uses:</c> does not exist or cannot be read.</summary>
    public const string MissingFile = "DF008";

    /// <summary>A parameter default or allowed value does not fit the parameter.</summary>
    public const string BadParameterDefault = "DF009";

    /// <summary>A required key is missing.</summary>
    public const string MissingKey = "DF010";

    /// <summary>A value of the wrong shape: a list where a map belongs, text where a number belongs.</summary>
    public const string WrongType = "DF011";

    /// <summary>A time zone that is not an IANA id such as <c>Europe/Berlin</c>.</summary>
    public const string BadTimeZone = "DF012";

    /// <summary>A <c>uses:</c> value that names no kind of block.</summary>
    public const string BadUses = "DF013";

    /// <summary>The file is not valid YAML.</summary>
    public const string YamlSyntax = "DF014";

    /// <summary>A <c>{{ params.X }}</c> reference names no declared parameter.</summary>
    public const string UnknownParameter = "DF015";

    /// <summary>A template that cannot be understood: unclosed, or with an unknown root.</summary>
    public const string BadTemplate = "DF016";

    /// <summary>A value outside its allowed range or set.</summary>
    public const string BadValue = "DF017";

    /// <summary>A path holds no pipeline.</summary>
    public const string NoPipelines = "DF018";

    /// <summary>A fan-out that cannot be run: nested inside another fan-out, or a block reading two fan-outs directly.</summary>
    public const string NestedFanOut = "DF019";

    /// <summary>
    /// A block's <c>with: { connection: NAME }</c> or a trigger's <c>connection</c> names no connection of the selected
    /// io_config.yaml profile.
    /// </summary>
    public const string UnknownConnection = "DF020";

    /// <summary>The selected profile (<c>--profile</c> or <c>DURAFLOW_PROFILE</c>) is not in io_config.yaml.</summary>
    public const string UnknownProfile = "DF021";

    /// <summary>A C# script block does not compile; the message is the compiler's, e.g. <c>CS0103: The name 'x' does not exist</c>.</summary>
    public const string ScriptCompileError = "DF022";

    /// <summary>A <c>class:</c> block names a class that the project's compiled blocks do not have, or there is no blocks/ project.</summary>
    public const string UnknownClass = "DF023";

    /// <summary>A <c>class:</c> block names a class that is not a block: not public, abstract, or without exactly one public <c>Run</c>/<c>RunAsync</c>.</summary>
    public const string NotABlockClass = "DF024";

    /// <summary>The project's blocks/ class library does not build (each compiler error is reported where it is).</summary>
    public const string BlocksBuildFailed = "DF025";

    /// <summary>A parameter of a compiled block's method names (in snake_case) no block or parameter of the pipeline.</summary>
    public const string UnknownClassInput = "DF026";

    /// <summary>A setting that has no effect where it is written, such as <c>store.path</c> with store type azure (a warning).</summary>
    public const string IgnoredSetting = "DF027";

    /// <summary>A local path (a file block's <c>with.path</c>, a script or SQL file) that leads outside the project and its <c>files.roots</c>.</summary>
    public const string PathOutsideProject = "DF028";

    /// <summary>
    /// A script reads <c>Setting("NAME")</c> that its block's <c>with:</c> does not set, or a <c>class:</c> block's
    /// <c>with:</c> sets a key that no parameter of its <c>Run</c> method reads.
    /// </summary>
    public const string UnknownSetting = "DF029";

    /// <summary>A <c>class:</c> block's <c>with:</c> key is also the name of a block, so the parameter that reads it is ambiguous.</summary>
    public const string SettingNamesBlock = "DF030";

    /// <summary>A pipeline or block takes a limit (<c>limits:</c>) that duraflow.yaml's <c>limits:</c> does not define.</summary>
    public const string UnknownLimit = "DF031";

    /// <summary>
    /// A block that runs another pipeline (<c>uses: pipeline:NAME</c>) names one the project does not have, gives it a
    /// parameter it does not declare or leaves out a required one, or runs one whose output is not one block.
    /// </summary>
    public const string BadChildPipeline = "DF032";
}
