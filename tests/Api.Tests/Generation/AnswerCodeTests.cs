using Duraflow.Api.Generation;

namespace Duraflow.Api.Tests.Generation;

/// <summary>Taking the file out of a model's answer, whatever the model wrapped around it.</summary>
public sealed class AnswerCodeTests
{
    [Theory]
    [InlineData("Here you go:\n```csharp\nreturn 1;\n```\nIt returns one.", "return 1;\n")]
    [InlineData("```\r\nselect 1\r\n```", "select 1\n")]
    [InlineData("~~~sql\nselect 1\n~~~", "select 1\n")]
    [InlineData("return 1;", "return 1;\n")]
    [InlineData("```csharp\n// a\nreturn 1;\n```\n```csharp\nreturn 2;\n```", "// a\nreturn 1;\n")]
    public void The_first_fenced_block_or_else_the_whole_answer_is_the_file(string answer, string code)
    {
        var (extracted, problem) = AnswerCode.Extract(answer, GeneratedKind.Script);

        Assert.Null(problem);
        Assert.Equal(code, extracted);
    }

    [Theory]
    [InlineData("script", "return 2;\n")]
    [InlineData("sql", "select 3\n")]
    public void Of_several_fenced_blocks_the_one_in_the_kinds_language_is_the_file(string kind, string code)
    {
        const string Answer = "Add this to pipeline.yaml:\n```yaml\n- name: b\n```\nThe script:\n```cs title=b.csx\nreturn 2;\n```\nOr as SQL:\n```SQL\nselect 3\n```";

        Assert.Equal((code, null), AnswerCode.Extract(Answer, GeneratedKinds.Parse(kind)!.Value));
    }

    [Theory]
    [InlineData("", "your answer was empty")]
    [InlineData("   \n", "your answer was empty")]
    [InlineData("```csharp\n\n```", "your code block was empty")]
    [InlineData("return \0;", "NUL character")]
    public void An_answer_without_a_usable_file_is_a_problem_to_send_back(string answer, string message)
    {
        var (code, problem) = AnswerCode.Extract(answer, GeneratedKind.Script);

        Assert.Null(code);
        Assert.Contains(message, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_too_large_for_a_block_is_refused()
    {
        var (code, problem) = AnswerCode.Extract("```\n" + new string('x', AnswerCode.MaxChars + 1) + "\n```", GeneratedKind.Sql);

        Assert.Null(code);
        Assert.Contains($"at most {AnswerCode.MaxChars}", problem, StringComparison.Ordinal);
    }
}
