namespace Duraflow.Api.Generation;

/// <summary>What the model is told about the pipeline a block is added to.</summary>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Definition">Its pipeline.yaml, as written.</param>
/// <param name="Blocks">Its blocks, in file order.</param>
/// <param name="LastRunId">The run the outputs come from: the pipeline's last successful one, or null.</param>
internal sealed record PipelineContext(string Pipeline, string Definition, IReadOnlyList<BlockContext> Blocks, string? LastRunId);

/// <summary>One existing block as the model is shown it.</summary>
/// <param name="Name">The block's name.</param>
/// <param name="Uses">Its <c>uses:</c>.</param>
/// <param name="Upstream">The blocks it reads.</param>
/// <param name="File">The text of its .csx or .sql file, or null for a built-in or class block.</param>
/// <param name="Output">What it output in the last successful run, or null when that is not known.</param>
internal sealed record BlockContext(string Name, string Uses, IReadOnlyList<string> Upstream, string? File, string? Output);
