using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Dag;

/// <summary>
/// Finds dependency cycles: one per strongly connected component (Tarjan, iterative so deep graphs cannot
/// overflow the stack), each shown as the shortest path from its first-declared block back to itself.
/// </summary>
internal static class CycleFinder
{
    public static IReadOnlyList<IReadOnlyList<string>> Find(IReadOnlyList<BlockDefinition> blocks, int[][] upstream)
    {
        var cycles = new List<(int Start, IReadOnlyList<string> Path)>();
        foreach (var component in StronglyConnectedComponents(upstream))
        {
            var start = component.Min();
            var isCycle = component.Count > 1 || upstream[start].Contains(start);
            if (isCycle)
            {
                cycles.Add((start, [.. ShortestCycle(start, component, upstream).Select(i => blocks[i].Name)]));
            }
        }

        return [.. cycles.OrderBy(c => c.Start).Select(c => c.Path)];
    }

    // Breadth-first search inside the component along downstream edges (reverse of upstream), back to start.
    private static List<int> ShortestCycle(int start, HashSet<int> component, int[][] upstream)
    {
        var downstream = component.ToDictionary(i => i, _ => new List<int>());
        foreach (var i in component)
        {
            foreach (var u in upstream[i].Where(component.Contains))
            {
                downstream[u].Add(i);
            }
        }

        var previous = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.TryDequeue(out var node))
        {
            foreach (var next in downstream[node].Order())
            {
                if (next == start)
                {
                    var path = new List<int> { start };
                    for (var at = node; at != start; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse(1, path.Count - 2);
                    return path;
                }

                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return [start, start];
    }

    private static List<HashSet<int>> StronglyConnectedComponents(int[][] edges)
    {
        var count = edges.Length;
        var index = Enumerable.Repeat(-1, count).ToArray();
        var low = new int[count];
        var onStack = new bool[count];
        var stack = new Stack<int>();
        var components = new List<HashSet<int>>();
        var next = 0;
        var work = new Stack<(int Node, int Edge)>();

        for (var root = 0; root < count; root++)
        {
            if (index[root] >= 0)
            {
                continue;
            }

            work.Push((root, 0));
            while (work.TryPop(out var frame))
            {
                var (v, e) = frame;
                if (e == 0)
                {
                    index[v] = low[v] = next++;
                    stack.Push(v);
                    onStack[v] = true;
                }

                if (e < edges[v].Length)
                {
                    work.Push((v, e + 1));
                    var w = edges[v][e];
                    if (index[w] < 0)
                    {
                        work.Push((w, 0));
                    }
                    else if (onStack[w])
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }

                    continue;
                }

                if (low[v] == index[v])
                {
                    var component = new HashSet<int>();
                    int w;
                    do
                    {
                        w = stack.Pop();
                        onStack[w] = false;
                        component.Add(w);
                    }
                    while (w != v);
                    components.Add(component);
                }

                if (work.TryPeek(out var parent))
                {
                    low[parent.Node] = Math.Min(low[parent.Node], low[v]);
                }
            }
        }

        return components;
    }
}
