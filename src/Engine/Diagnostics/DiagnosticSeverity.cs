namespace Duraflow.Engine.Diagnostics;

/// <summary>How serious a diagnostic is. Errors make a definition invalid; warnings do not.</summary>
internal enum DiagnosticSeverity
{
    /// <summary>The definition cannot run until this is fixed.</summary>
    Error,

    /// <summary>The definition runs, but probably not as intended.</summary>
    Warning,
}
