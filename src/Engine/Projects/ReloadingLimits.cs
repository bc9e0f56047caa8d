using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Projects;

/// <summary>
/// duraflow.yaml's named limits as they are now: read again when the file changed (its time or size), so a limit
/// added to a served project applies to the next block that takes it, as validation already sees it. A duraflow.yaml
/// that no longer reads keeps the limits last read.
/// </summary>
internal sealed class ReloadingLimits(string projectRoot, IReadOnlyDictionary<string, LimitDefinition> initial)
{
    private readonly Lock _gate = new();
    private (DateTime Written, long Length) _stamp = Stamp(projectRoot);
    private IReadOnlyDictionary<string, LimitDefinition> _limits = initial;

    /// <summary>The limits now.</summary>
    public IReadOnlyDictionary<string, LimitDefinition> Current()
    {
        var stamp = Stamp(projectRoot);
        lock (_gate)
        {
            if (stamp != _stamp)
            {
                var project = DuraflowProject.Open(projectRoot);
                if (!project.SettingsDiagnostics.Any(d => d.IsError))
                {
                    _limits = project.Settings.Limits;
                }

                _stamp = stamp;
            }

            return _limits;
        }
    }

    private static (DateTime, long) Stamp(string root)
    {
        var file = new FileInfo(Path.Combine(root, DuraflowProject.SettingsFileName));
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : (DateTime.MinValue, -1);
    }
}
