using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Duraflow.Blocks;
using Duraflow.Engine.Diagnostics;

namespace Duraflow.Engine.Projects;

/// <summary>
/// Builds a project's compiled blocks, the class library in <c>blocks/</c>, with <c>dotnet build</c> into
/// <c>.duraflow/cache/blocks/</c>, and only when a file under <c>blocks/</c> changed since the last good build.
/// </summary>
/// <remarks>
/// The build gets <c>DuraflowSdkPath</c>: the folder of the running Duraflow.Blocks.dll, which holds
/// Duraflow.Blocks.props for the project to import. So the project names no machine path, and blocks always compile
/// against the Duraflow that loads them. The hash of the last good build covers every file under <c>blocks/</c>
/// except <c>bin/</c>, <c>obj/</c> and hidden folders, plus the identity of Duraflow.Blocks, so a new duraflow
/// rebuilds too. Processes building one project at once take turns through a lock file.
/// </remarks>
internal sealed partial class BlocksBuilder(string projectRoot, string? displayRoot, Action<string>? building = null)
{
    /// <summary>The folder of the class library, relative to the project.</summary>
    public const string FolderName = "blocks";

    /// <summary>The file next to Duraflow.Blocks.dll that a blocks project imports.</summary>
    public const string SdkPropsFileName = "Duraflow.Blocks.props";

    // Enough compiler errors to fix the first mistakes; the rest usually follow from them.
    private const int ShownErrors = 10;

    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LockLimit = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(200);

    public string BlocksDirectory { get; } = Path.Combine(projectRoot, FolderName);

    public string OutputDirectory { get; } = Path.Combine(projectRoot, ".duraflow", "cache", FolderName);

    private string HashFile => OutputDirectory + ".hash";

    private string LockFile => OutputDirectory + ".lock";

    /// <summary>Builds when needed; never throws for a failed build, which comes back as diagnostics.</summary>
    public BlocksBuildResult Build()
    {
        var projects = Directory.Exists(BlocksDirectory) ? Directory.GetFiles(BlocksDirectory, "*.csproj") : [];
        if (projects.Length == 0)
        {
            return new BlocksBuildResult(false, null, [], false);
        }

        if (projects.Length > 1)
        {
            return Failed(At(BlocksDirectory), $"{Display(BlocksDirectory)} holds {projects.Length} project files ({string.Join(", ", projects.Select(Path.GetFileName).Order(StringComparer.Ordinal))}); keep one, which may reference the others");
        }

        var project = projects[0];
        var sdk = Path.GetDirectoryName(typeof(BlockContext).Assembly.Location);
        if (string.IsNullOrEmpty(sdk) || !File.Exists(Path.Combine(sdk, SdkPropsFileName)))
        {
            return Failed(At(project), $"this duraflow cannot build compiled blocks: {SdkPropsFileName} is missing next to Duraflow.Blocks.dll{(string.IsNullOrEmpty(sdk) ? string.Empty : $" in {sdk}")}; reinstall duraflow");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(OutputDirectory)!);
        using var turn = TakeTurn();
        var hash = SourceHash();
        if (File.Exists(HashFile) && File.ReadAllText(HashFile) == hash && Directory.Exists(OutputDirectory))
        {
            return new BlocksBuildResult(true, OutputDirectory, [], false);
        }

        // Start clean, so the assembly of a deleted project reference does not linger, and forget the last hash
        // first: a build that dies half way must not look current.
        File.Delete(HashFile);
        if (Directory.Exists(OutputDirectory))
        {
            Directory.Delete(OutputDirectory, recursive: true);
        }

        building?.Invoke($"building {Display(BlocksDirectory)}/ (a file there changed since the last build)");
        var (exitCode, output, failure) = RunDotnetBuild(project, sdk);
        if (failure is not null)
        {
            return Failed(At(project), failure);
        }

        if (exitCode != 0)
        {
            return new BlocksBuildResult(true, null, Errors(project, output), true);
        }

        File.WriteAllText(HashFile, hash);
        return new BlocksBuildResult(true, OutputDirectory, [], true);
    }

    private (int ExitCode, string Output, string? Failure) RunDotnetBuild(string project, string sdk)
    {
        var start = new ProcessStartInfo(DotnetPath())
        {
            WorkingDirectory = BlocksDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The logging abstractions may come from a shared framework (an ASP.NET host) rather than the SDK's folder.
        var logging = Path.GetDirectoryName(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location);
        foreach (var argument in (string[])["build", project, "-c", "Release", "-o", OutputDirectory, $"-p:DuraflowSdkPath={sdk}{Path.DirectorySeparatorChar}",
            $"-p:DuraflowLoggingPath={logging}{Path.DirectorySeparatorChar}", "-nologo", "-v:q", "-clp:NoSummary", "-tl:off", "--disable-build-servers"])
        {
            start.ArgumentList.Add(argument);
        }

        // English messages, so errors parse the same everywhere; no build servers, which would outlive this process
        // holding its output pipes open.
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, string.Empty, $"cannot start '{start.FileName}' to build the compiled blocks: {e.Message}; install the .NET SDK");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(BuildLimit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, string.Empty, $"dotnet build did not finish within {BuildLimit.TotalMinutes:0} minutes and was stopped");
        }

        // The overload without a limit also waits until the output events have all been delivered.
        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString(), null);
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    // The dotnet that runs this process when there is one (`dotnet duraflow.dll`, tests), else the one on PATH.
    private static string DotnetPath()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }

    private static BlocksBuildResult Failed(SourceLocation location, string message) =>
        new(true, null, [new Diagnostic(DiagnosticCodes.BlocksBuildFailed, DiagnosticSeverity.Error, location, message)], false);

    private List<Diagnostic> Errors(string project, string output)
    {
        var errors = new List<Diagnostic>();
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            var located = LocatedError().Match(line);
            var match = located.Success ? located : UnlocatedError().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var file = match.Groups["file"].Value.Trim();
            var location = located.Success
                ? new SourceLocation(Display(file), Number(match.Groups["line"].Value), Number(match.Groups["column"].Value))
                : At(File.Exists(file) ? file : project);
            var code = match.Groups["code"].Value;
            var diagnostic = new Diagnostic(DiagnosticCodes.BlocksBuildFailed, DiagnosticSeverity.Error, location, $"{code}: {match.Groups["message"].Value}");
            if (!errors.Contains(diagnostic))
            {
                errors.Add(diagnostic);
            }
        }

        if (errors.Count == 0)
        {
            var tail = string.Join(" | ", lines.TakeLast(5));
            return [new Diagnostic(DiagnosticCodes.BlocksBuildFailed, DiagnosticSeverity.Error, At(project), $"dotnet build failed: {(tail.Length == 0 ? "it printed nothing" : tail)}")];
        }

        if (errors.Count > ShownErrors)
        {
            var more = errors.Count - ShownErrors;
            errors = [.. errors.Take(ShownErrors)];
            errors.Add(new Diagnostic(DiagnosticCodes.BlocksBuildFailed, DiagnosticSeverity.Error, At(project),
                $"{more} more compiler error{(more == 1 ? string.Empty : "s")}; run `dotnet build {Display(project)}` with -p:DuraflowSdkPath=... to see all"));
        }

        return errors;
    }

    private string SourceHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendText(hash, typeof(BlockContext).Assembly.ManifestModule.ModuleVersionId.ToString("N"));
        foreach (var file in ProjectFiles.SourceFiles(BlocksDirectory).Select(f => Path.GetRelativePath(BlocksDirectory, f).Replace('\\', '/')).Order(StringComparer.Ordinal))
        {
            var content = File.ReadAllBytes(Path.Combine(BlocksDirectory, file));
            AppendText(hash, $"{file}\n{content.Length}\n");
            hash.AppendData(content);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendText(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));

    // An exclusive open is a lock between processes (flock on Unix); it is released when the process ends, however.
    private FileStream TakeTurn()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < LockLimit)
            {
                Thread.Sleep(LockPoll);
            }
        }
    }

    private string Display(string path) => DisplayPaths.For(path, displayRoot);

    private SourceLocation At(string path) => new(Display(path), 0, 0);

    private static int Number(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    // MSBuild's canonical error format: FILE(LINE,COL[,ENDLINE,ENDCOL]): error CODE: MESSAGE [PROJECT]
    [GeneratedRegex(@"^(?<file>.+?)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\)\s*:\s*error\s+(?<code>[A-Za-z]+\d*)\s*:\s*(?<message>.*?)(?:\s+\[[^\]]*\])?$")]
    private static partial Regex LocatedError();

    // Errors about a whole file or none: FILE : error CODE: MESSAGE, or MSBUILD : error CODE: MESSAGE
    [GeneratedRegex(@"^(?:(?<file>.*?)\s*:\s*)?error\s+(?<code>[A-Za-z]+\d*)\s*:\s*(?<message>.*?)(?:\s+\[[^\]]*\])?$")]
    private static partial Regex UnlocatedError();
}
