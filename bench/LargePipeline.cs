using System.Text;

namespace Duraflow.Bench;

/// <summary>
/// Writes a generated pipeline: <c>depth</c> levels of <c>width</c> blocks, each block depending on two blocks of the
/// level above, one through <c>upstream</c> and one through a <c>{{ blocks.X }}</c> reference, so validation
/// exercises both kinds of inference.
/// </summary>
internal static class LargePipeline
{
    public static string Write(string folder, int width, int depth)
    {
        var yaml = new StringBuilder("name: large\nretry: { attempts: 3, delay: 1s }\nblocks:\n");
        for (var level = 0; level < depth; level++)
        {
            for (var i = 0; i < width; i++)
            {
                yaml.Append("  - name: b_").Append(level).Append('_').Append(i);
                if (level == 0)
                {
                    yaml.Append("\n    uses: json.read\n    with: { path: data/b_").Append(i).Append(".json }\n");
                }
                else
                {
                    // Built-in writers name the block they write; the other upstream block comes from `upstream`.
                    yaml.Append("\n    uses: json.write\n    upstream: [b_").Append(level - 1).Append('_').Append(i).Append("]\n")
                        .Append("    with: { input: \"{{ blocks.b_").Append(level - 1).Append('_').Append((i + 1) % width)
                        .Append(" }}\", path: out/b_").Append(level).Append('_').Append(i).Append(".json }\n");
                }
            }
        }

        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "pipeline.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }
}
