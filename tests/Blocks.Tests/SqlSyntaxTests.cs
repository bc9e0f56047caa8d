using Duraflow.Blocks.Sql;

namespace Duraflow.Blocks.Tests;

/// <summary>Whether an embedded SQL block's query parses, told without running it or having its inputs.</summary>
public sealed class SqlSyntaxTests
{
    [Theory]
    [InlineData("select country, count(*) as n from {{ blocks.greet }} where n > {{ params.min }} group by country;")]
    [InlineData("with t as (select * from {{ blocks.a }}) select * from t join {{ blocks.b }} using (id)")]
    [InlineData("from {{ blocks.a }} select '{{ run.id }}' as run")]
    [InlineData("pivot {{ blocks.a }} on country using sum(amount);")]
    [InlineData("select * exclude (secret) from {{ blocks.a }} qualify row_number() over (partition by id order by updated_at desc) = 1")]
    public void A_query_that_parses_has_no_problem(string sql) => Assert.Null(SqlSyntax.Problem(sql));

    [Theory]
    [InlineData("selec * frm {{ blocks.greet }} wher", "syntax error at or near")]
    [InlineData("select * from {{ blocks.greet }} where", "syntax error at or near \")\"")]
    [InlineData("select * from {{ blocks.greet", "{{")]
    [InlineData("create table x as select 1", "syntax error")]
    [InlineData("select 1; select 2", "syntax error")]
    [InlineData("-- only a comment", "syntax error")]
    public void A_query_that_does_not_parse_gets_the_parsers_words(string sql, string words)
    {
        Assert.Contains(words, SqlSyntax.Problem(sql), StringComparison.Ordinal);
    }
}
