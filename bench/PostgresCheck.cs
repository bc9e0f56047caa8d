namespace Duraflow.Bench;

/// <summary>Why the server cannot be reached (null when it can), and a note for the results about its durability.</summary>
internal sealed record PostgresCheck(string? Unreachable, string? Note);
