using Duraflow.Engine.Projects;

namespace Duraflow.Engine.Validation;

/// <summary>
/// A project's validation, kept until one of its definition files changes (<see cref="ProjectFiles.Stamp"/>), for
/// hosts that validate on every request or event (the HTTP API, schedules, blob events): an unchanged project is
/// validated once, an edited one at the next request, without a restart.
/// </summary>
/// <remarks>
/// Safe for concurrent use. Callers that find the stamp unchanged share the cached validation without waiting; when it
/// changed, one caller validates and the others wait for its result rather than validating the same files again. The
/// validation returned is the one of the files as they were when it started; an edit made during it shows next time.
/// </remarks>
internal sealed class ProjectValidationCache
{
    private readonly string _root;
    private readonly Func<ProjectValidation> _validate;
    private readonly Lock _gate = new();
    private volatile Entry? _current;

    /// <summary>Creates the cache for the project at <paramref name="root"/>; <paramref name="validate"/> validates it.</summary>
    public ProjectValidationCache(string root, Func<ProjectValidation> validate)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(validate);
        _root = root;
        _validate = validate;
    }

    /// <summary>How many times the project was validated, for tests and diagnostics.</summary>
    public int Validations { get; private set; }

    /// <summary>The project's validation as of its files now.</summary>
    public ProjectValidation Get()
    {
        var stamp = ProjectFiles.Stamp(_root);
        if (_current is { } current && current.Stamp == stamp)
        {
            return current.Validation;
        }

        lock (_gate)
        {
            // Another caller may have validated these very files while this one waited.
            stamp = ProjectFiles.Stamp(_root);
            if (_current is { } fresh && fresh.Stamp == stamp)
            {
                return fresh.Validation;
            }

            var validation = _validate();
            Validations++;
            _current = new Entry(stamp, validation);
            return validation;
        }
    }

    private sealed record Entry(string Stamp, ProjectValidation Validation);
}
