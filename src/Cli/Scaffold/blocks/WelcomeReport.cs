using Duraflow.Blocks;

namespace Hello;

/// <summary>
/// A compiled block, used in pipelines/hello/pipeline.yaml as <c>uses: class:Hello.WelcomeReport</c>. Duraflow fills
/// each parameter of Run by its name in snake_case: <c>greet</c> and <c>perCountry</c> are the outputs of the blocks
/// greet and per_country (so this block runs after both), <c>greeting</c> is the run parameter, and the
/// <see cref="BlockContext"/> brings the logger, the run's ids and the cancellation token.
/// </summary>
public sealed class WelcomeReport
{
    public Summary Run(IEnumerable<Greeting> greet, CountryCount[] perCountry, string greeting, BlockContext context)
    {
        // IEnumerable streams the table row by row; an array loads it whole.
        var customers = greet.Count();
        var largest = perCountry.OrderByDescending(c => c.Customers).ThenBy(c => c.Country, StringComparer.Ordinal).FirstOrDefault();
        context.Logger.LogInformation("{Greeting}: {Customers} customers in {Countries} countries", greeting, customers, perCountry.Length);
        return new Summary(greeting, customers, perCountry.Length, largest?.Country);
    }
}

/// <summary>A row of the greet block's table; a column fills the property of its name in PascalCase (message: Message).</summary>
public sealed record Greeting(long Id, string Country, string Message);

/// <summary>A row of the per_country block's table.</summary>
public sealed record CountryCount(string Country, long Customers);

/// <summary>The block's output. One object is stored as JSON; a sequence of records would be a table.</summary>
public sealed record Summary(string Greeting, int Customers, int Countries, string? LargestCountry);
