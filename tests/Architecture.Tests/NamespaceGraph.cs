namespace Duraflow.Architecture.Tests;

/// <summary>
/// Which Duraflow namespace uses which, with one example of each use (<c>Type -&gt; Type</c>) so a failing rule says
/// where to look.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<(string From, string To), string> _edges = [];

    /// <summary>The edges, each with an example.</summary>
    public IReadOnlyDictionary<(string From, string To), string> Edges => _edges;

    /// <summary>Every namespace that uses or is used.</summary>
    public IEnumerable<string> Namespaces => _edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct(StringComparer.Ordinal);

    /// <summary>The graph of the product assemblies (<see cref="ProductAssemblies"/>).</summary>
    public static NamespaceGraph OfProducts()
    {
        var graph = new NamespaceGraph();
        foreach (var type in ProductAssemblies.AllTypes())
        {
            var from = TypeReferences.NamespaceOf(type);
            if (!IsOurs(from))
            {
                continue;
            }

            foreach (var used in TypeReferences.Of(type))
            {
                var to = TypeReferences.NamespaceOf(used);
                if (IsOurs(to) && to != from)
                {
                    graph.Add(from, to, $"{type.FullName} -> {used.FullName}");
                }
            }
        }

        return graph;
    }

    /// <summary>Adds an edge (the first example of an edge is kept).</summary>
    public void Add(string from, string to, string example) => _edges.TryAdd((from, to), example);

    /// <summary>Groups of namespaces that reach each other (strongly connected components of more than one).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var next = _edges.Keys.GroupBy(e => e.From, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList(), StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next.GetValueOrDefault(v) ?? [])
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);

                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var v in Namespaces.Order(StringComparer.Ordinal).Where(v => !index.ContainsKey(v)))
        {
            Visit(v);
        }

        return cycles;
    }

    private static bool IsOurs(string ns) => ns == "Duraflow" || ns.StartsWith("Duraflow.", StringComparison.Ordinal);
}
