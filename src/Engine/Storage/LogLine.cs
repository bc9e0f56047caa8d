namespace Duraflow.Engine.Storage;

/// <summary>One line of a block's log.</summary>
/// <param name="At">When it was written.</param>
/// <param name="Block">The block or item key.</param>
/// <param name="Attempt">The attempt that wrote it.</param>
/// <param name="Level">trace, debug, information, warning, error or critical.</param>
/// <param name="Message">The rendered message.</param>
internal sealed record LogLine(DateTimeOffset At, string Block, int Attempt, string Level, string Message);
