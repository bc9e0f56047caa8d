using System.CommandLine;
using System.Globalization;
using Duraflow.Api;
using Duraflow.Api.Auth;
using Duraflow.Api.Setup;
using Duraflow.Cli.Output;
using Duraflow.Engine.Diagnostics;
using Duraflow.Engine.Projects;
using Microsoft.Extensions.Configuration;

namespace Duraflow.Cli.Commands;

/// <summary>
/// <c>duraflow serve [--port N] [--runtime duraflow|durable]</c>: runs the API of src/Api, the one the Azure Functions
/// app serves, on Kestrel: the HTTP API on <c>http://127.0.0.1:N/api/...</c>, the project's schedules and folder
/// watcher, and its queue pollers working on runs, as <c>duraflow worker</c> does. New runs go to <c>--runtime</c>, else
/// duraflow.yaml's <c>runtime:</c>; on <c>durable</c> (or while durable runs are unfinished) the in-process Durable host
/// carries them out, as <c>duraflow worker --runtime durable</c> does. Each <c>--workspace NAME=FOLDER</c> serves one
/// more project beside it, with its own store, at <c>/api/workspaces/NAME</c>.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The port without <c>--port</c>.</summary>
    public const int DefaultPort = 8080;

    public static Command Create(Terminal terminal, Option<string?> project, Option<string?> store, Option<string?> runtime)
    {
        var port = new Option<int>("--port") { Description = $"The port to listen on, on 127.0.0.1 (default {DefaultPort})", DefaultValueFactory = _ => DefaultPort };
        var noAuth = new Option<bool>("--no-auth")
        {
            Description = "Serve without an API key (allowed because serve listens on 127.0.0.1 only); otherwise set Duraflow__ApiKey",
        };
        var workspaces = new Option<string[]>("--workspace")
        {
            Description = "Also serve the project in FOLDER as workspace NAME, with its own store, at /api/workspaces/NAME (repeat for more): --workspace sales=./sales",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "NAME=FOLDER",
        };
        var command = new Command("serve", "Serve the dashboard (at /) and the HTTP API and work on runs, as the Azure Functions app does, on this machine") { port, noAuth, runtime, workspaces };
        command.SetAction(result =>
        {
            var chosen = result.GetValue(port);
            if (chosen is < 1 or > 65535)
            {
                throw new UsageException($"--port {chosen} is not a port: use 1 to 65535");
            }

            var resolved = ProjectResolver.Resolve(result.GetValue(project));
            if (result.GetValue(store) is { } asked && !string.Equals(asked, resolved.Settings.Store.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                // The app opens the project as duraflow.yaml describes it, as it does in Azure; an override would
                // make serve differ from the deployed app.
                throw new UsageException($"serve uses duraflow.yaml's store.type ({resolved.Settings.Store.ToString().ToLowerInvariant()}); set store.type: {asked} there to serve that store");
            }

            var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{chosen}");
            // Request-by-request logs would drown what matters in a terminal; start-up and failures still show.
            string[] auth = result.GetValue(noAuth) ? ["--Duraflow:Auth:Disabled", "true"] : [];
            // --runtime is the app setting Duraflow__Runtime of the deployed app, so serve and Azure read it the same way.
            // Only when asked: otherwise each workspace's duraflow.yaml picks its own.
            string[] runtimeArgs = result.GetValue(runtime) is { } chosenRuntime ? ["--Duraflow:Runtime", chosenRuntime] : [];
            var newRuns = result.GetValue(runtime) ?? RuntimeNames.Of(resolved.Settings.Runtime ?? RuntimeKind.Duraflow);
            var served = ServedWorkspaces.Parse(result.GetValue(workspaces) ?? []);
            string[] args =
            [
                "--urls", url, "--Duraflow:Project", resolved.Root, .. runtimeArgs, "--Logging:LogLevel:Microsoft.AspNetCore", "Warning", .. auth,
                .. served.SelectMany(w => (string[])[$"--{WorkspaceFolders.Section}:{w.Name}", w.Folder]),
            ];
            var configuration = Configuration(args);

            // The app setting wins over duraflow.yaml, from --runtime, the environment or appsettings.json alike.
            newRuns = configuration["Duraflow:Runtime"] is { Length: > 0 } configured ? configured : newRuns;
            CheckAuth(configuration, url);
            ServedWorkspaces.Check(configuration, resolved);
            terminal.Line($"serving {DisplayPaths.For(resolved.Root)} on {url} (API under {url}/api, new runs on the {newRuns} runtime, Ctrl-C stops)");
            foreach (var (name, folder) in served)
            {
                terminal.Line($"serving {DisplayPaths.For(folder)} as workspace {name} (API under {url}{ServedWorkspace.Named(name).ApiBase})");
            }

            LocalServer.Create(args).Run();
            return ExitCodes.Ok;
        });
        return command;
    }

    // The configuration the server will read: the same sources, in the same order.
    private static IConfiguration Configuration(string[] args)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), $"appsettings.{environment}.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }

    // The app refuses to start without a way to check callers, but by then the host has logged a stack trace; the
    // same check on the same configuration sources, before the app starts, makes it a usage error that says what to do.
    private static void CheckAuth(IConfiguration configuration, string url)
    {
        var options = configuration.GetSection(ProjectOptions.Section).Get<ApiAuthOptions>() ?? new ApiAuthOptions();
        if (string.IsNullOrEmpty(options.ApiKey) && !options.Auth.Entra.Enabled && !options.Auth.Disabled)
        {
            throw new UsageException(
                "serve needs an API key: set one in the environment, as in export Duraflow__ApiKey=$(openssl rand -hex 16), and send it "
                + "in an X-Api-Key header; or pass --no-auth to serve without one (the server listens on 127.0.0.1 only)");
        }

        try
        {
            ApiAuthModes.Resolve(options, underFunctionsHost: false, [url]);
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
