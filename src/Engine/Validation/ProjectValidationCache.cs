using Duraflow.Engine.Projects;

namespace Duraflow.Engine.Validation;

/// <summary>
/// A project's validation, kept until one of its definition files changes (<see cref="ProjectFiles.Stamp"/>), for
/// hosts that validate on every request or event (the HTTP API, schedules, blob events): an unchanged project is
/// validated once, an edited one at the next request, without a restart.
/// </summary>
/// <remarks>
/// Safe for concurrent use, and validates one version at a time (see <see cref="StampedCache{T}"/>). The validation
/// returned is the one of the files as they were when it started; an edit made during it shows next time.
/// </remarks>
internal sealed class ProjectValidationCache
{
    private readonly StampedCache<ProjectValidation> _cache;

    /// <summary>Creates the cache for the project at <paramref name="root"/>; <paramref name="validate"/> validates it.</summary>
    public ProjectValidationCache(string root, Func<ProjectValidation> validate)
    {
        ArgumentNullException.ThrowIfNull(root);
        _cache = new StampedCache<ProjectValidation>(() => ProjectFiles.Stamp(root), validate);
    }

    /// <summary>How many times the project was validated, for tests and diagnostics.</summary>
    public int Validations => _cache.Loads;

    /// <summary>The project's validation as of its files now.</summary>
    public ProjectValidation Get() => _cache.Get();
}
