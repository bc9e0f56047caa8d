// Drops test orders (below min_amount) and trims customer names.
public record Order(long OrderId, DateOnly OrderDate, string Customer, decimal Amount, string Currency);

var minAmount = Param<decimal>("min_amount");

return Input<Order[]>("load_orders")
    .Where(order => order.Amount >= minAmount)
    .Select(order => order with { Customer = order.Customer.Trim() })
    .ToArray();
