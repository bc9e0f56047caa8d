namespace Duraflow.Engine.Workers;

/// <summary>
/// The exception types a failed attempt records for <c>retry.on</c> and <c>retry.not_on</c>: the thrown exception's
/// type and its base types, then the same for each exception it wraps, most derived first, without repeats.
/// </summary>
internal static class ErrorTypes
{
    // Wrappers nest a few levels at most; a cycle or a pathological chain stops here.
    private const int MaxExceptions = 16;

    /// <summary>A block timeout, matched as the exception .NET uses for one.</summary>
    public static IReadOnlyList<string> TimedOut { get; } = Of(new TimeoutException());

    /// <summary>
    /// Wrapped exceptions count because what an author names is usually inside one: an HttpClient timeout is a
    /// TaskCanceledException around a TimeoutException, and <c>.Wait()</c> wraps in an AggregateException.
    /// </summary>
    public static IReadOnlyList<string> Of(Exception exception)
    {
        var names = new List<string>();
        var pending = new Queue<Exception>([exception]);
        var seen = 0;
        while (pending.TryDequeue(out var current) && seen++ < MaxExceptions)
        {
            for (var type = current.GetType(); type is not null && type != typeof(object); type = type.BaseType)
            {
                var name = Name(type);
                if (!names.Contains(name, StringComparer.Ordinal))
                {
                    names.Add(name);
                }
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Enqueue(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Enqueue(inner);
            }
        }

        return names;
    }

    // A closed generic type's full name carries its arguments' assembly names; authors write the definition's name.
    private static string Name(Type type) =>
        (type.IsGenericType ? type.GetGenericTypeDefinition() : type).FullName ?? type.Name;
}
