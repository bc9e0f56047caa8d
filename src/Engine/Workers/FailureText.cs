using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Duraflow.Engine.Workers;

/// <summary>
/// What a run's log says about a block that failed: the exception's type and message, what caused it, and the frames
/// of the user's own code (a script's line, a compiled block's file and line). Frames inside Duraflow and libraries,
/// with this build's source paths, are noise to a data engineer; the full trace is logged at debug level beside it.
/// </summary>
internal static class FailureText
{
    // Causes are followed this far: deeper chains are wrappers of wrappers.
    private const int MaxCauses = 5;

    /// <summary>The error line for <paramref name="exception"/>; file paths inside <paramref name="projectRoot"/> are shown relative to it.</summary>
    public static string Of(Exception exception, string projectRoot)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = new StringBuilder($"{exception.GetType().Name}: {exception.Message}");
        var cause = exception.InnerException;
        for (var i = 0; cause is not null && i < MaxCauses; i++, cause = cause.InnerException)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  caused by {cause.GetType().Name}: {cause.Message}");
        }

        foreach (var frame in UserFrames(exception))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  at {Shown(frame.GetFileName()!, projectRoot)}:line {frame.GetFileLineNumber()}");
        }

        return text.ToString();
    }

    // Frames with a source line that are not Duraflow's: scripts (compiled with their display path) and the project's
    // compiled blocks. Library frames have no line information without their symbols, so they drop out as well.
    private static IEnumerable<StackFrame> UserFrames(Exception exception) =>
        new StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .Where(f => f.GetFileName() is { Length: > 0 } && f.GetFileLineNumber() > 0 && !IsOurs(f));

    private static bool IsOurs(StackFrame frame)
    {
        var assembly = frame.GetMethod()?.DeclaringType?.Assembly.GetName().Name ?? string.Empty;
        return assembly.StartsWith("Duraflow.", StringComparison.Ordinal) || assembly == "duraflow";
    }

    private static string Shown(string file, string projectRoot)
    {
        if (!Path.IsPathRooted(file))
        {
            return file;
        }

        var relative = Path.GetRelativePath(projectRoot, file);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative.Replace('\\', '/');
    }
}
