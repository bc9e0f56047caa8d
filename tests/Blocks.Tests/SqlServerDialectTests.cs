using Duraflow.Blocks.Sql;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// The SQL Server statements, checked as text: no SQL Server runs on this machine (see the note), so these pin
/// the T-SQL that differs from the other dialects.
/// </summary>
public class SqlServerDialectTests
{
    private static readonly SqlDialect Dialect = SqlDialect.For(new Connection("mssql", "sqlserver", new Dictionary<string, string>()));

    [Fact]
    public void Upsert_is_a_merge_of_a_values_batch_on_the_key()
    {
        var sql = Dialect.Insert("dbo.orders", ["id", "customer"], 2, ["id"]);

        Assert.Equal(
            "merge into [dbo].[orders] as target using (values (@p0, @p1), (@p2, @p3)) as source ([id], [customer]) on target.[id] = source.[id]"
                + " when matched then update set target.[customer] = source.[customer]"
                + " when not matched then insert ([id], [customer]) values (source.[id], source.[customer]);",
            sql);
    }

    [Fact]
    public void Tables_are_created_when_missing_and_replaced_with_select_into()
    {
        Assert.Equal(
            "if object_id(N'sales.o''brien', N'U') is null create table [sales].[o'brien] ([id] bigint, [name] nvarchar(450), primary key ([id]))",
            Dialect.CreateTableIfMissing("sales.o'brien", [("id", "BIGINT"), ("name", "VARCHAR")], ["id"]));
        Assert.Equal("drop table if exists [t];\nselect * into [t] from (\nselect 1 as x\n) as source", Dialect.ReplaceTableAs("t", "select 1 as x"));
        Assert.Equal("[we]]ird]", Dialect.Quote("we]ird"));
    }
}
