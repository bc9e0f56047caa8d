using System.Text.Json;
using Duraflow.Blocks.Templates;

namespace Duraflow.Blocks.Tests;

public class WhenExpressionTests
{
    // Flags for the logic tests: each operand is a plain boolean, so only the operators decide the result.
    private const string Flags = """{ "params.yes": true, "params.no": false }""";

    private const string Example = "{{ blocks.count_changes.changed > 0 or params.full_refresh }}";

    /// <summary>Evaluates <paramref name="text"/> with root values given as a JSON object keyed by "root.name".</summary>
    private static bool Evaluate(string text, string roots = "{}")
    {
        using var document = JsonDocument.Parse(roots);
        var values = document.RootElement;
        return WhenExpression.Evaluate(text, name => values.TryGetProperty(name, out var value) ? value : null);
    }

    private static string ErrorOf(string text, string roots = "{}") =>
        Assert.Throws<WhenExpressionException>(() => Evaluate(text, roots)).Message;

    private static string Changes(int changed, bool fullRefresh) =>
        $$"""{ "blocks.count_changes": { "changed": {{changed}} }, "params.full_refresh": {{(fullRefresh ? "true" : "false")}} }""";

    [Theory]
    [InlineData(3, false, true)]
    [InlineData(0, true, true)]
    [InlineData(0, false, false)]
    public void Example_runs_when_something_changed_or_a_full_refresh_is_asked(int changed, bool fullRefresh, bool expected)
    {
        Assert.Equal(expected, Evaluate(Example, Changes(changed, fullRefresh)));
    }

    [Theory]
    [InlineData(3, false, true)]
    [InlineData(0, false, false)]
    public void Bare_expression_without_braces_evaluates_the_same(int changed, bool fullRefresh, bool expected)
    {
        Assert.Equal(expected, Evaluate("blocks.count_changes.changed > 0 or params.full_refresh", Changes(changed, fullRefresh)));
    }

    [Fact]
    public void Whitespace_around_and_inside_the_braces_is_allowed()
    {
        Assert.True(Evaluate("  {{params.yes}}\n", Flags));
        Assert.False(Evaluate(" {{   params.no   }} ", Flags));
    }

    [Fact]
    public void ResolveRoot_receives_the_first_two_segments_and_not_the_rest()
    {
        var asked = new List<string>();
        using var document = JsonDocument.Parse("""{ "changed": 0 }""");
        var output = document.RootElement;

        WhenExpression.Evaluate(Example, name =>
        {
            asked.Add(name);
            return name == "blocks.count_changes" ? output : null;
        });

        Assert.Equal(["blocks.count_changes", "params.full_refresh"], asked);
    }

    [Fact]
    public void Nested_paths_are_followed_inside_the_value()
    {
        const string roots = """{ "blocks.load": { "stats": { "rows": { "inserted": 5 } } } }""";

        Assert.True(Evaluate("blocks.load.stats.rows.inserted == 5", roots));
        Assert.False(Evaluate("blocks.load.stats.rows.inserted == 4", roots));
    }

    [Fact]
    public void Numeric_segments_index_into_arrays()
    {
        const string roots = """{ "blocks.list": { "items": ["a", "b", { "name": "c" }] } }""";

        Assert.True(Evaluate("blocks.list.items.0 == 'a'", roots));
        Assert.True(Evaluate("blocks.list.items.1 == 'b'", roots));
        Assert.True(Evaluate("blocks.list.items.2.name == 'c'", roots));
        Assert.True(Evaluate("blocks.list.items.3 == null", roots));
    }

    [Fact]
    public void Numeric_segment_on_an_object_is_a_property_name()
    {
        Assert.True(Evaluate("blocks.a.0 == 'zero'", """{ "blocks.a": { "0": "zero" } }"""));
    }

    [Fact]
    public void Missing_values_are_null()
    {
        const string roots = """{ "blocks.a": { "status": "ok" } }""";

        Assert.True(Evaluate("blocks.a.missing == null", roots));
        Assert.True(Evaluate("blocks.a.status.length == null", roots));
        Assert.True(Evaluate("blocks.unknown.x == null", roots));
        Assert.False(Evaluate("blocks.a.status == null", roots));
    }

    [Fact]
    public void Json_null_equals_null_and_nothing_else()
    {
        const string roots = """{ "params.p": null }""";

        Assert.True(Evaluate("params.p == null", roots));
        Assert.True(Evaluate("null == null", roots));
        Assert.False(Evaluate("params.p == 0", roots));
        Assert.False(Evaluate("params.p == false", roots));
        Assert.False(Evaluate("params.p == ''", roots));
        Assert.True(Evaluate("params.p != 0", roots));
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("null", false)]
    [InlineData("0", false)]
    [InlineData("0.0", false)]
    [InlineData("\"\"", false)]
    [InlineData("[]", false)]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("-0.5", true)]
    [InlineData("\"x\"", true)]
    [InlineData("[0]", true)]
    [InlineData("{}", true)]
    public void Bare_values_follow_the_truthiness_rules(string json, bool expected)
    {
        Assert.Equal(expected, Evaluate("params.v", $$"""{ "params.v": {{json}} }"""));
    }

    [Fact]
    public void Absent_value_is_falsy()
    {
        Assert.False(Evaluate("params.absent"));
        Assert.True(Evaluate("not params.absent"));
    }

    [Fact]
    public void String_false_is_truthy_because_only_the_empty_string_is_falsy()
    {
        Assert.True(Evaluate("env.FLAG", """{ "env.FLAG": "false" }"""));
    }

    [Theory]
    [InlineData("params.n == 5", true)]
    [InlineData("params.n == 5.0", true)]
    [InlineData("params.n == 6", false)]
    [InlineData("params.n != 6", true)]
    [InlineData("params.n != 5", false)]
    [InlineData("params.n < 6", true)]
    [InlineData("params.n < 5", false)]
    [InlineData("params.n <= 5", true)]
    [InlineData("params.n <= 4.99", false)]
    [InlineData("params.n > 4", true)]
    [InlineData("params.n > 5", false)]
    [InlineData("params.n >= 5", true)]
    [InlineData("params.n >= 6", false)]
    [InlineData("params.n > -1", true)]
    [InlineData("-10 < -2", true)]
    public void Numbers_compare_numerically(string text, bool expected)
    {
        Assert.Equal(expected, Evaluate(text, """{ "params.n": 5 }"""));
    }

    [Fact]
    public void Large_integers_compare_exactly()
    {
        // As doubles both would be 9007199254740992.
        Assert.True(Evaluate("run.id != 9007199254740992", """{ "run.id": 9007199254740993 }"""));
    }

    [Theory]
    [InlineData("params.name == 'orders'", true)]
    [InlineData("params.name == \"orders\"", true)]
    [InlineData("params.name != 'orders'", false)]
    [InlineData("params.name == 'Orders'", false)]
    [InlineData("params.name < 'p'", true)]
    [InlineData("params.name >= 'ordersa'", false)]
    [InlineData("'B' < 'a'", true)]
    [InlineData("'' < 'a'", true)]
    public void Strings_compare_ordinally(string text, bool expected)
    {
        Assert.Equal(expected, Evaluate(text, """{ "params.name": "orders" }"""));
    }

    [Fact]
    public void Strings_may_contain_operators_keywords_and_braces()
    {
        const string roots = """{ "params.s": "a or }} b", "params.q": "it's" }""";

        Assert.True(Evaluate("{{ params.s == 'a or }} b' }}", roots));
        Assert.True(Evaluate("params.q == \"it's\"", roots));
    }

    [Fact]
    public void Booleans_compare_by_value()
    {
        Assert.True(Evaluate("params.yes == true", Flags));
        Assert.True(Evaluate("params.no == false", Flags));
        Assert.True(Evaluate("params.yes != params.no", Flags));
        Assert.False(Evaluate("params.yes == params.no", Flags));
    }

    [Theory]
    [InlineData("1 == '1'")]
    [InlineData("true == 1")]
    [InlineData("false == 0")]
    [InlineData("null == false")]
    [InlineData("'true' == true")]
    public void Values_of_different_types_are_never_equal(string text)
    {
        Assert.False(Evaluate(text));
        Assert.True(Evaluate(text.Replace("==", "!=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Arrays_and_objects_compare_by_content()
    {
        const string roots = """{ "blocks.a": { "ids": [1, 2], "o": { "k": 1 } }, "blocks.b": { "ids": [1, 2], "o": { "k": 2 } } }""";

        Assert.True(Evaluate("blocks.a.ids == blocks.b.ids", roots));
        Assert.False(Evaluate("blocks.a.o == blocks.b.o", roots));
        Assert.False(Evaluate("blocks.a.ids == 1", roots));
    }

    [Theory]
    [InlineData("params.no or params.yes", true)]
    [InlineData("params.no or params.no", false)]
    [InlineData("params.no || params.yes", true)]
    [InlineData("params.yes and params.yes", true)]
    [InlineData("params.yes and params.no", false)]
    [InlineData("params.yes && params.no", false)]
    [InlineData("not params.no", true)]
    [InlineData("not params.yes", false)]
    [InlineData("!params.no", true)]
    [InlineData("not not params.yes", true)]
    public void Logical_operators_and_their_symbol_forms(string text, bool expected)
    {
        Assert.Equal(expected, Evaluate(text, Flags));
    }

    [Fact]
    public void Or_of_false_and_true_is_true()
    {
        Assert.True(Evaluate("false or true"));
    }

    [Fact]
    public void Not_binds_tighter_than_and()
    {
        // (not no) and no = false; not (no and no) would be true.
        Assert.False(Evaluate("not params.no and params.no", Flags));
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        // yes or (no and no) = true; (yes or no) and no would be false.
        Assert.True(Evaluate("params.yes or params.no and params.no", Flags));
        Assert.True(Evaluate("params.yes || params.no && params.no", Flags));
    }

    [Fact]
    public void Not_applies_to_the_whole_comparison()
    {
        // not (1 == 2) = true; (not 1) == 2 would be false.
        Assert.True(Evaluate("not 1 == 2"));
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        Assert.False(Evaluate("(params.yes or params.no) and params.no", Flags));
        Assert.True(Evaluate("not (params.yes and params.no)", Flags));
        Assert.False(Evaluate("not params.yes and params.no", Flags));
        Assert.True(Evaluate("((params.yes))", Flags));
    }

    [Fact]
    public void Or_stops_at_the_first_true_operand()
    {
        var asked = new List<string>();
        using var document = JsonDocument.Parse("true");
        var yes = document.RootElement;

        // blocks.x.n > 0 would fail on null if it were evaluated.
        var result = WhenExpression.Evaluate("params.full_refresh or blocks.x.n > 0", name =>
        {
            asked.Add(name);
            return name == "params.full_refresh" ? yes : null;
        });

        Assert.True(result);
        Assert.Equal(["params.full_refresh"], asked);
    }

    [Fact]
    public void And_stops_at_the_first_false_operand_so_null_can_be_guarded()
    {
        Assert.False(Evaluate("blocks.a.n != null and blocks.a.n > 0"));
        Assert.True(Evaluate("blocks.a.n != null and blocks.a.n > 0", """{ "blocks.a": { "n": 2 } }"""));
    }

    [Fact]
    public void Unknown_names_are_reported_even_in_a_skipped_operand()
    {
        Assert.StartsWith("column 18: unknown name 'parms'", ErrorOf("params.yes or    parms.x", Flags), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_operand_after_or_names_its_column()
    {
        Assert.Equal("column 16: expected a value after 'or', found '}}'", ErrorOf("{{ params.a or }}"));
    }

    [Fact]
    public void Missing_operand_at_the_end_points_past_the_last_character()
    {
        Assert.Equal("column 22: expected a value after 'not', found the end of the condition", ErrorOf("params.a == 1 and not"));
    }

    [Fact]
    public void Keyword_where_a_value_belongs_is_an_error()
    {
        Assert.Equal("column 14: expected a value after 'and', found 'or'", ErrorOf("params.a and or params.b"));
    }

    [Fact]
    public void Unknown_name_lists_the_roots()
    {
        Assert.Equal(
            "column 3: unknown name 'foo'; paths start with blocks., params., env., secrets., run. or trigger.",
            ErrorOf("{{foo}}"));
    }

    [Fact]
    public void Unknown_name_close_to_a_root_or_keyword_suggests_it()
    {
        Assert.StartsWith("column 1: unknown name 'parms' (did you mean 'params'?);", ErrorOf("parms.full_refresh"), StringComparison.Ordinal);
        Assert.StartsWith("column 13: unknown name 'True' (did you mean 'true'?);", ErrorOf("params.a == True"), StringComparison.Ordinal);
    }

    [Fact]
    public void Root_without_a_name_is_an_error()
    {
        Assert.Equal("column 1: 'params' needs a name after it, as in 'params.NAME'", ErrorOf("params == 1"));
    }

    [Fact]
    public void Ordering_a_string_against_a_number_names_the_operator_column()
    {
        Assert.StartsWith("column 10: cannot compare a string with a number using '<'", ErrorOf("{{ 'abc' < 1 }}"), StringComparison.Ordinal);
    }

    [Fact]
    public void Ordering_a_missing_value_explains_how_to_guard_it()
    {
        var message = ErrorOf("blocks.a.n > 0");

        Assert.StartsWith("column 12: cannot compare null with a number using '>'", message, StringComparison.Ordinal);
        Assert.Contains("!= null", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Booleans_cannot_be_ordered()
    {
        Assert.StartsWith("column 6: cannot compare a boolean with a boolean using '<'", ErrorOf("true < false"), StringComparison.Ordinal);
    }

    [Fact]
    public void Arrays_cannot_be_ordered()
    {
        Assert.StartsWith("column 14: cannot compare an array with a number using '>='", ErrorOf("blocks.a.ids >= 1", """{ "blocks.a": { "ids": [] } }"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Chained_comparisons_are_rejected()
    {
        Assert.StartsWith("column 14: comparisons cannot be chained", ErrorOf("1 < params.n < 3"), StringComparison.Ordinal);
    }

    [Fact]
    public void Unterminated_string_points_at_its_opening_quote()
    {
        Assert.Equal("column 13: the string starting with ' is never closed; add a closing '", ErrorOf("params.a == 'abc"));
    }

    [Fact]
    public void Unclosed_parenthesis_names_where_it_opened()
    {
        Assert.Equal(
            "column 22: expected ')' to close the '(' at column 1, found the end of the condition",
            ErrorOf("(params.a or params.b"));
        Assert.StartsWith("column 37: expected ')' to close the '(' at column 1,", ErrorOf("(params.a or (params.b and params.c)"), StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_closing_parenthesis_is_an_error()
    {
        Assert.Equal("column 21: ')' has no matching '('", ErrorOf("params.a or params.b)"));
    }

    [Fact]
    public void Empty_parentheses_expect_a_value()
    {
        Assert.Equal("column 27: expected a value after 'or', found ')'", ErrorOf("params.a and (params.b or )"));
    }

    [Fact]
    public void Trailing_tokens_are_an_error()
    {
        Assert.Equal("column 10: unexpected 'params.b'; join conditions with 'and' or 'or'", ErrorOf("params.a params.b"));
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("   {{  }}", 8)]
    public void Empty_condition_is_an_error(string text, int column)
    {
        Assert.StartsWith($"column {column}: the condition is empty", ErrorOf(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_template_points_at_its_opening_braces()
    {
        Assert.Equal("column 1: '{{' is never closed; add '}}' after the expression", ErrorOf("{{ params.a"));
    }

    [Fact]
    public void Text_after_the_template_is_an_error()
    {
        Assert.StartsWith("column 16: unexpected 'and' after '}}'", ErrorOf("{{ params.a }} and params.b"), StringComparison.Ordinal);
    }

    [Fact]
    public void Template_opened_inside_the_condition_is_an_error()
    {
        Assert.StartsWith("column 14: '{{' can only open the condition", ErrorOf("params.a and {{ params.b }}"), StringComparison.Ordinal);
    }

    [Fact]
    public void Closing_braces_without_opening_ones_are_an_error()
    {
        Assert.Equal("column 10: '}}' has no matching '{{'", ErrorOf("params.a }}"));
    }

    [Theory]
    [InlineData("params.a = 1", 10, "'=' is not an operator; use '=='")]
    [InlineData("params.a == 1 &   params.b", 15, "'&' is not an operator; use '&&' or 'and'")]
    [InlineData("params.a | default", 10, "'|' is not an operator")]
    [InlineData("params.a > 0 or #", 17, "unexpected character '#'")]
    public void Characters_that_are_not_operators_are_errors(string text, int column, string problem)
    {
        Assert.StartsWith($"column {column}: {problem}", ErrorOf(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_without_a_segment_after_it_is_an_error()
    {
        Assert.Equal("column 9: '.' must be followed by a name or an array index", ErrorOf("params.a. == 1"));
    }

    [Fact]
    public void Number_literal_too_large_for_a_decimal_is_an_error()
    {
        Assert.Equal("column 12: the number 99999999999999999999999999999999 is too large", ErrorOf("params.n > 99999999999999999999999999999999"));
    }

    [Fact]
    public void Number_value_too_large_for_a_decimal_is_an_error()
    {
        Assert.StartsWith("column 1: 'blocks.a.big' is the number 1e400", ErrorOf("blocks.a.big > 1", """{ "blocks.a": { "big": 1e400 } }"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_on_a_later_line_name_the_line_and_the_column_within_it()
    {
        Assert.StartsWith("line 2, column 3: unknown name 'foo'", ErrorOf("params.a and\n  foo"), StringComparison.Ordinal);
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => WhenExpression.Evaluate(null!, _ => null));
        Assert.Throws<ArgumentNullException>(() => WhenExpression.Evaluate("true", null!));
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("not ", "")]
    [InlineData("!", "")]
    public void Nesting_100000_levels_deep_is_an_error_not_a_crash(string open, string close)
    {
        var text = "{{ " + string.Concat(Enumerable.Repeat(open, 100_000)) + "true" + string.Concat(Enumerable.Repeat(close, 100_000)) + " }}";

        Assert.Contains("nest deeper than 64 levels", ErrorOf(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_bound_still_evaluates()
    {
        var text = "{{ " + new string('(', WhenParser.MaxNesting - 1) + "not params.no" + new string(')', WhenParser.MaxNesting - 1) + " }}";

        Assert.True(Evaluate(text, Flags));
    }

    [Theory]
    [InlineData("{{ output }}", """{ "state": "done" }""", true)]
    [InlineData("{{ output }}", "[]", false)]
    [InlineData("{{ output.state == 'done' }}", """{ "state": "done" }""", true)]
    [InlineData("{{ output.jobs.1.state == 'done' and params.no == false }}", """{ "jobs": [{ "state": "running" }, { "state": "done" }] }""", true)]
    [InlineData("{{ output.missing == null }}", "{}", true)]
    public void A_value_root_reads_one_whole_value_alone_or_by_a_path(string text, string output, bool expected)
    {
        using var value = JsonDocument.Parse(output);
        using var flagsDocument = JsonDocument.Parse(Flags);
        var flags = flagsDocument.RootElement;

        var result = WhenExpression.Evaluate(text, name => name == "output" ? value.RootElement : flags.TryGetProperty(name, out var flag) ? flag : null, valueRoot: "output");

        Assert.Equal(expected, result);
    }

    [Fact]
    public void A_value_root_is_unknown_where_it_is_not_offered_and_suggested_where_it_is()
    {
        Assert.Contains("unknown name 'output'", ErrorOf("{{ output.state }}"), StringComparison.Ordinal);

        var error = Assert.Throws<WhenExpressionException>(() => WhenParser.Parse("{{ outptu.state }}", "output"));
        Assert.Contains("did you mean 'output'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("trigger. or output", error.Message, StringComparison.Ordinal);
    }
}
