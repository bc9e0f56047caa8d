using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Duraflow.Blocks;

/// <summary>
/// Reads a table input as the type block code asks for without going through JSON: the table itself, a lazy
/// <c>IEnumerable&lt;TRow&gt;</c>, or rows loaded into an array or list.
/// </summary>
internal static class TableInputs
{
    /// <summary>
    /// Reads <paramref name="table"/> as <paramref name="type"/>; false when the type is none of the table shapes
    /// (the caller then converts the table's JSON instead).
    /// </summary>
    public static bool TryRead(Table table, Type type, CancellationToken cancellationToken, out object? value)
    {
        value = null;
        if (type == typeof(Table))
        {
            value = table;
        }
        else if (type.IsArray && type.GetArrayRank() == 1)
        {
            value = Load(table, type.GetElementType()!, asArray: true, cancellationToken);
        }
        else if (type.IsGenericType && type.GetGenericArguments() is [var row])
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(IEnumerable<>))
            {
                value = Rows(table, row, cancellationToken);
            }
            else if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
                || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>))
            {
                value = Load(table, row, asArray: false, cancellationToken);
            }
        }

        return value is not null;
    }

    private static object Rows(Table table, Type row, CancellationToken cancellationToken) =>
        Call(nameof(TypedRows), row, [table, cancellationToken]);

    private static object Load(Table table, Type row, bool asArray, CancellationToken cancellationToken) =>
        Call(nameof(TypedLoad), row, [table, asArray, cancellationToken]);

    private static object Call(string method, Type row, object[] arguments)
    {
        try
        {
            return typeof(TableInputs).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(row).Invoke(null, arguments)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // Keep the row conversion's own exception (non-retryable, naming the row and column) for the engine to see.
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static IEnumerable<TRow> TypedRows<TRow>(Table table, CancellationToken cancellationToken) => table.Rows<TRow>(cancellationToken);

    private static object TypedLoad<TRow>(Table table, bool asArray, CancellationToken cancellationToken)
    {
        var rows = table.Rows<TRow>(cancellationToken);
        return asArray ? rows.ToArray() : rows.ToList();
    }
}
