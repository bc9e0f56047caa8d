using Duraflow.Api.Generation;

namespace Duraflow.Api.Tests.Generation;

/// <summary>Adding a block to pipeline.yaml as a text edit: the user's comments, blank lines and layout stay.</summary>
public sealed class PipelineYamlEditTests
{
    [Fact]
    public void The_block_goes_after_the_last_one_and_every_comment_stays()
    {
        const string Before = """
            # Orders, cleaned.
            name: orders

            blocks:
              - name: load   # from the landing zone
                uses: csv.read
                with:
                  path: data/orders.csv
                  # the header row names the columns

              - name: clean
                uses: script:blocks/clean.csx    # reads load
                # retry: { attempts: 3 }

            # every morning
            triggers:
              - schedule: { cron: "0 6 * * *" }

            """;

        var after = PipelineYamlEdit.AddBlock(Before, "totals", "sql:sql/totals.sql");

        Assert.Equal("""
            # Orders, cleaned.
            name: orders

            blocks:
              - name: load   # from the landing zone
                uses: csv.read
                with:
                  path: data/orders.csv
                  # the header row names the columns

              - name: clean
                uses: script:blocks/clean.csx    # reads load
                # retry: { attempts: 3 }

              - name: totals
                uses: sql:sql/totals.sql

            # every morning
            triggers:
              - schedule: { cron: "0 6 * * *" }

            """, after);
    }

    [Fact]
    public void Items_at_the_key_column_without_blank_lines_and_a_file_without_a_final_newline()
    {
        const string Before = "name: p\nblocks:\n- name: a\n  uses: csv.read\n  with: { path: data/a.csv }";

        Assert.Equal(
            "name: p\nblocks:\n- name: a\n  uses: csv.read\n  with: { path: data/a.csv }\n- name: b\n  uses: script:blocks/b.csx\n",
            PipelineYamlEdit.AddBlock(Before, "b", "script:blocks/b.csx"));
    }

    [Fact]
    public void Windows_line_endings_and_wider_indentation_are_kept()
    {
        const string Before = "name: p\r\nblocks:\r\n    -   name: a\r\n        uses: csv.read\r\ntags: [x]\r\n";

        Assert.Equal(
            "name: p\r\nblocks:\r\n    -   name: a\r\n        uses: csv.read\r\n    -   name: b\r\n        uses: sql:sql/b.sql\r\ntags: [x]\r\n",
            PipelineYamlEdit.AddBlock(Before, "b", "sql:sql/b.sql"));
    }

    [Fact]
    public void A_block_scalar_in_the_last_block_stays_whole()
    {
        const string Before = "name: p\nblocks:\n  - name: a\n    uses: sql.query\n    with:\n      query: |\n        select 1\n\n        union all select 2\n";

        var after = PipelineYamlEdit.AddBlock(Before, "b", "script:blocks/b.csx");

        Assert.Equal(Before + "  - name: b\n    uses: script:blocks/b.csx\n", after);
    }

    [Fact]
    public void A_last_block_written_in_flow_style_gets_a_block_style_sibling()
    {
        var after = PipelineYamlEdit.AddBlock("blocks:\n  - { name: a, uses: csv.read }\n", "b", "sql:sql/b.sql");

        Assert.Equal("blocks:\n  - { name: a, uses: csv.read }\n  - name: b\n    uses: sql:sql/b.sql\n", after);
    }

    [Fact]
    public void A_comment_at_the_dash_column_inside_the_last_block_does_not_end_it()
    {
        const string Before = "blocks:\n  - name: greet\n    uses: script:blocks/greet.csx\n  # flaky upstream, so:\n    retry: { attempts: 3 }\n    timeout: 5m\n\ntriggers: []\n";

        Assert.Equal(
            "blocks:\n  - name: greet\n    uses: script:blocks/greet.csx\n  # flaky upstream, so:\n    retry: { attempts: 3 }\n    timeout: 5m\n  - name: b\n    uses: sql:sql/b.sql\n\ntriggers: []\n",
            PipelineYamlEdit.AddBlock(Before, "b", "sql:sql/b.sql"));
    }

    [Fact]
    public void Document_markers_inside_a_block_scalar_stay_in_it()
    {
        const string Before = "blocks:\n  - name: a\n    uses: sql.query\n    with:\n      query: |\n        select 1\n        --- by the data team\n        ...\n        union all select 2\n    description: last\n";

        var after = PipelineYamlEdit.AddBlock(Before, "b", "sql:sql/b.sql");

        Assert.Equal(Before + "  - name: b\n    uses: sql:sql/b.sql\n", after);
    }

    [Fact]
    public void Comments_after_the_next_key_stay_where_they_are()
    {
        const string Before = "blocks:\n  - name: a\n    uses: csv.read\n    # with: { path: old.csv }\n# the triggers\ntriggers: []\n";

        Assert.Equal(
            "blocks:\n  - name: a\n    uses: csv.read\n    # with: { path: old.csv }\n  - name: b\n    uses: sql:sql/b.sql\n# the triggers\ntriggers: []\n",
            PipelineYamlEdit.AddBlock(Before, "b", "sql:sql/b.sql"));
    }

    [Theory]
    [InlineData("blocks: [{ name: a, uses: csv.read }]\n", "as a [...] list")]
    [InlineData("name: p\n", "has no 'blocks:' list")]
    [InlineData("blocks: {a: 1}\n", "has no 'blocks:' list")]
    [InlineData("blocks:\n  - name: a\n   bad: [\n", "does not parse")]
    [InlineData("blocks:\n  -\n    name: a\n    uses: csv.read\n", "does not start with '- '")]
    [InlineData("a: 1\n---\nb: 2\n", "has no 'blocks:' list")]
    [InlineData("name: p\rblocks:\r  - name: a\r    uses: csv.read\r", "lone carriage return")]
    [InlineData("name: p\nblocks:\u2028  - name: a\n    uses: csv.read\n", "U+2028")]
    public void A_layout_that_cannot_be_followed_is_refused_with_what_to_do(string text, string message)
    {
        var error = Assert.Throws<GenerationException>(() => PipelineYamlEdit.AddBlock(text, "b", "sql:sql/b.sql"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
