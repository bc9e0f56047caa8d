using Duraflow.Engine.Runs;

namespace Duraflow.Durable.Tests;

/// <summary>The cache on each runtime: hits skip the code, give the same outputs and name the run that computed them.</summary>
public abstract partial class RuntimeAcceptance
{
    // Each script writes a file named after it into ran/ when its code runs, so a hit is told from a computation.
    private void WriteCachedPipeline()
    {
        Directory.CreateDirectory(Project.PathOf("ran"));
        Project.Write("pipelines/cached/rows.csx", """
            File.WriteAllText(Path.Combine(ProjectRoot, "ran", $"rows-{Guid.NewGuid():N}"), "");
            return Enumerable.Range(1, 5).Select(i => new { n = (long)i * Param<long>("factor") }).ToArray();
            """);
        Project.Write("pipelines/cached/total.sql", "select cast(sum(n) as bigint) as total from {{ blocks.rows }}");
        Project.Write("pipelines/cached/big.csx", """
            File.WriteAllText(Path.Combine(ProjectRoot, "ran", $"big-{Guid.NewGuid():N}"), "");
            return string.Join(",", Enumerable.Repeat("padding", 300));
            """);
        Project.Write("pipelines/cached/list.csx", """
            File.WriteAllText(Path.Combine(ProjectRoot, "ran", $"list-{Guid.NewGuid():N}"), "");
            return new[] { 1, 2, 3 };
            """);
        Project.Write("pipelines/cached/square.csx", """
            File.WriteAllText(Path.Combine(ProjectRoot, "ran", $"square-{Guid.NewGuid():N}"), "");
            var n = Input<int>("list");
            return n * n;
            """);
        Project.Write("pipelines/cached/report.csx", """
            public record Total(long total);
            File.WriteAllText(Path.Combine(ProjectRoot, "ran", $"report-{Guid.NewGuid():N}"), "");
            return $"{Input<Total[]>("total")[0].total}/{Input<int[]>("square").Sum()}/{Input<string>("big").Length}";
            """);
        Project.Write("pipelines/cached/pipeline.yaml", """
            name: cached
            parameters:
              factor: { type: int, default: 1 }
              unused: { type: string, default: a }
            blocks:
              - { name: rows, uses: script:rows.csx, cache: true }
              - { name: total, uses: sql:total.sql, cache: true }
              - { name: big, uses: script:big.csx, cache: true }
              - { name: list, uses: script:list.csx, fan_out: true, cache: true }
              - { name: square, uses: script:square.csx, cache: true }
              - name: report
                uses: script:report.csx
                upstream: [total, square, big]
                cache: true
            """);
    }

    private string[] TakeRanLog()
    {
        var files = Directory.GetFiles(Project.PathOf("ran"));
        foreach (var file in files)
        {
            File.Delete(file);
        }

        return [.. files.Select(f => Path.GetFileName(f).Split('-')[0]).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_second_identical_run_takes_every_cached_block_from_the_first_and_a_changed_parameter_recomputes_only_what_reads_it()
    {
        WriteCachedPipeline();
        await using var runtime = await OpenAsync();
        string[] blocks = ["rows", "total", "big", "list", "square", "report"];

        var first = await runtime.WaitAsync(await runtime.StartAsync("cached"));
        var firstRan = TakeRanLog();
        var second = await runtime.WaitAsync(await runtime.StartAsync("cached", """{ "unused": "b" }"""));
        var secondRan = TakeRanLog();
        var third = await runtime.WaitAsync(await runtime.StartAsync("cached", """{ "factor": 2 }"""));
        var thirdRan = TakeRanLog();

        Assert.Equal(RunStatus.Succeeded, first.Status);
        Assert.Equal(["big", "list", "report", "rows", "square", "square", "square"], firstRan);
        Assert.All(blocks, b => Assert.Equal(BlockStatus.Succeeded, first.Block(b).Status));
        Assert.Equal("\"15/14/2399\"", await runtime.OutputAsync(first, "report"));

        // A parameter no block reads changes no key.
        Assert.Equal(RunStatus.Succeeded, second.Status);
        Assert.Empty(secondRan);
        Assert.All(blocks, b => Assert.Equal(BlockStatus.Cached, second.Block(b).Status));
        Assert.All(["rows", "total", "big", "list", "square[0]", "square[2]", "report"], b => Assert.Equal(first.RunId, second.Block(b).CachedFrom));
        foreach (var key in new[] { "rows", "total", "big", "list", "square[1]", "report" })
        {
            Assert.Equal(await runtime.OutputAsync(first, key), await runtime.OutputAsync(second, key));
            var output = second.Block(key).Output!;
            Assert.True(output.StartsWith("json:", StringComparison.Ordinal) || output.StartsWith($"runs/{second.RunId}/", StringComparison.Ordinal), output);
        }

        // rows reads factor: it and what its new output reaches run again; the rest stay cached.
        Assert.Equal(["report", "rows"], thirdRan);
        Assert.Equal(BlockStatus.Succeeded, third.Block("rows").Status);
        Assert.Equal(BlockStatus.Succeeded, third.Block("total").Status);
        Assert.Equal(BlockStatus.Succeeded, third.Block("report").Status);
        Assert.All(["big", "list", "square"], b => Assert.Equal(BlockStatus.Cached, third.Block(b).Status));
        Assert.Equal("\"30/14/2399\"", await runtime.OutputAsync(third, "report"));
    }
}
