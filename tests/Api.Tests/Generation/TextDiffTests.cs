using Duraflow.Api.Generation;

namespace Duraflow.Api.Tests.Generation;

/// <summary>The diff generation prints: one hunk, three lines of context, as git would show it.</summary>
public sealed class TextDiffTests
{
    [Fact]
    public void A_new_file_is_all_added_lines()
    {
        Assert.Equal("--- /dev/null\n+++ b/x.sql\n@@ -0,0 +1,2 @@\n+select 1\n+from t\n", TextDiff.Of("x.sql", null, "select 1\nfrom t\n").ReplaceLineEndings("\n"));
    }

    [Fact]
    public void An_insertion_shows_three_lines_of_context_on_each_side()
    {
        var before = "1\n2\n3\n4\n5\n6\n7\n8\n";
        var after = "1\n2\n3\n4\nnew\n5\n6\n7\n8\n";

        Assert.Equal(
            "--- a/p.yaml\n+++ b/p.yaml\n@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+new\n 5\n 6\n 7\n",
            TextDiff.Of("p.yaml", before, after).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_change_shows_removed_then_added_lines_and_no_change_shows_no_hunk()
    {
        Assert.Equal("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n", TextDiff.Of("f", "a\nc\n", "b\nc\n").ReplaceLineEndings("\n"));
        Assert.Equal("--- a/f\n+++ b/f\n", TextDiff.Of("f", "a\n", "a\n").ReplaceLineEndings("\n"));
    }
}
