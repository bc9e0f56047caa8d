using Duraflow.Engine.Loading;

namespace Duraflow.Engine.Tests.Definitions;

/// <summary>Parses YAML text as if it came from p/pipeline.yaml.</summary>
internal static class Loading
{
    public static PipelineLoadResult Parse(string yaml) =>
        PipelineLoader.Parse(yaml, Path.Combine(Path.GetTempPath(), "p", "pipeline.yaml"), "p/pipeline.yaml");
}
