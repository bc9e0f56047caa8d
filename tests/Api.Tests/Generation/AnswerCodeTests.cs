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
        var (extracted, problem) = AnswerCode.Extract(answer);

        Assert.Null(problem);
        Assert.Equal(code, extracted);
    }

    [Theory]
    [InlineData("", "your answer was empty")]
    [InlineData("   \n", "your answer was empty")]
    [InlineData("```csharp\n\n```", "your code block was empty")]
    [InlineData("return \0;", "NUL character")]
    public void An_answer_without_a_usable_file_is_a_problem_to_send_back(string answer, string message)
    {
        var (code, problem) = AnswerCode.Extract(answer);

        Assert.Null(code);
        Assert.Contains(message, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_too_large_for_a_block_is_refused()
    {
        var (code, problem) = AnswerCode.Extract("```\n" + new string('x', AnswerCode.MaxChars + 1) + "\n```");

        Assert.Null(code);
        Assert.Contains($"at most {AnswerCode.MaxChars}", problem, StringComparison.Ordinal);
    }
}
