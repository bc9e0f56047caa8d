// Adds a greeting to every customer row.
public record Customer(long Id, string Name, string Country);

var greeting = Param<string>("greeting");
return Input<Customer[]>("load_customers")
    .Select(c => new { c.Id, c.Country, Message = $"{greeting}, {c.Name}!" })
    .ToArray();
