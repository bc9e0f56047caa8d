namespace Duraflow.Engine.Tests;

/// <summary>A block's upstream is its explicit list plus every block it references, wherever the reference is.</summary>
public class InferenceTests
{
    [Fact]
    public void Upstream_IsExplicitUnionReferencesFromWithWhenSqlAndScripts()
    {
        var result = PipelineFixture.Check(
            """
            name: p
            blocks:
              - { name: a, uses: csv.read, with: { path: a.csv } }
              - { name: b, uses: csv.read, with: { path: a.csv } }
              - { name: c, uses: csv.read, with: { path: a.csv } }
              - { name: d, uses: csv.read, with: { path: a.csv } }
              - name: from_all
                uses: script:s.csx
                upstream: [a]
                with: { source: "{{ blocks.b.path }}" }
                when: "{{ blocks.c.rows > 0 }}"
              - { name: from_sql, uses: "sql:q.sql", upstream: [a] }
            """,
            ("s.csx", "return Input<int>(\"d\") + Input<int>(\"a\");"),
            ("q.sql", "select * from {{ blocks.b }} join {{ blocks.c }} using (id)"));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var graph = result.Graph!;
        Assert.Equal(["a", "b", "c", "d"], graph.Upstream("from_all").Select(b => b.Name));
        Assert.Equal(["a", "b", "c"], graph.Upstream("from_sql").Select(b => b.Name));
        Assert.Equal(["from_all", "from_sql"], graph.Downstream("a").Select(b => b.Name));
        Assert.Equal(["from_all"], graph.Downstream("d").Select(b => b.Name));
    }

    [Fact]
    public void SharedSqlFile_IsReadOnceAndInfersForEveryBlockUsingIt()
    {
        var result = PipelineFixture.Check(
            "name: p\nblocks:\n  - { name: a, uses: csv.read, with: { path: a.csv } }\n  - { name: x, uses: 'sql:q.sql' }\n  - { name: y, uses: 'sql:q.sql' }\n",
            ("q.sql", "select * from {{ blocks.a }}"));

        Assert.Equal(["a"], result.Graph!.Upstream("x").Select(b => b.Name));
        Assert.Equal(["a"], result.Graph.Upstream("y").Select(b => b.Name));
    }

    [Fact]
    public void AlertReferences_AreCheckedButAddNoDependency()
    {
        var result = PipelineFixture.Check("""
            name: p
            blocks:
              - { name: a, uses: csv.read, with: { path: a.csv } }
            alerts:
              - { on: [failed], webhook: "{{ secrets.hook }}", message: "{{ blocks.a.rows }} rows" }
            """);

        // A run's alert has no block inputs: reading one is an error at the message, and no dependency.
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DF016", diagnostic.Code);
        Assert.Contains("'message' reads 'blocks.a'", diagnostic.Message, StringComparison.Ordinal);
        Assert.Empty(result.Graph!.Upstream("a"));
    }
}
