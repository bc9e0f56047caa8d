using System.CommandLine;
using Duraflow.Cli.Output;
using Duraflow.Durable;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Duraflow.Cli.Commands;

/// <summary>Builds the command tree and turns every outcome, including bad usage and crashes, into an exit code.</summary>
internal static class DuraflowCommand
{
    public static int Run(string[] args)
    {
        var terminal = new Terminal();
        var project = new Option<string?>("--project")
        {
            Description = "The project folder (default: the nearest folder at or above the current one with duraflow.yaml or pipelines/)",
            Recursive = true,
        };
        var profile = new Option<string?>("--profile")
        {
            Description = $"The io_config.yaml profile whose connections to use (default: the {IoConfig.ProfileVariable} environment variable, else '{IoConfig.DefaultProfile}')",
            Recursive = true,
        };
        var store = new Option<string?>("--store")
        {
            Description = "The run store of run, runs and worker, instead of duraflow.yaml's store.type: sqlite (the project's SQLite file) or azure "
                + "(the storage account that store.connection names, AzureWebJobsStorage by default)",
            Recursive = true,
        };
        store.AcceptOnlyFromAmong(ProjectResolver.StoreNames);

        // On run, worker and serve only: runs that exist are cancelled, retried and followed on the runtime they started on.
        var runtime = new Option<string?>("--runtime")
        {
            Description = "The runtime of new runs, instead of duraflow.yaml's runtime: duraflow (the engine in this process, the default) or durable "
                + "(Durable Task in this process, its task hub in the storage account of store.connection, Azurite when AzureWebJobsStorage is not set)",
        };
        runtime.AcceptOnlyFromAmong(RuntimeNames.All);
        var root = new RootCommand("Duraflow: durable data pipelines for Azure Functions. Validate, graph and run pipelines of C#, SQL and built-in blocks.");
        root.Options.Add(project);
        root.Options.Add(profile);
        root.Options.Add(store);
        root.Subcommands.Add(InitCommand.Create(terminal));
        root.Subcommands.Add(ValidateCommand.Create(terminal, project, profile));
        root.Subcommands.Add(GraphCommand.Create(terminal, project));
        root.Subcommands.Add(RunCommand.Create(terminal, project, profile, store, runtime));
        root.Subcommands.Add(RunsCommand.Create(terminal, project, profile, store));
        root.Subcommands.Add(SchedulesCommand.Create(terminal, project, profile, store));
        root.Subcommands.Add(CacheCommand.Create(terminal, project, profile, store));
        root.Subcommands.Add(BackfillCommand.Create(terminal, project, profile, store, runtime));
        root.Subcommands.Add(BackfillsCommand.Create(terminal, project, profile, store));
        root.Subcommands.Add(CheckpointsCommand.Create(terminal, project, profile, store));
        root.Subcommands.Add(KeysCommand.Create(terminal, project, profile, store));
        root.Subcommands.Add(AuditCommand.Create(terminal, project, profile, store));
        root.Subcommands.Add(WorkerCommand.Create(terminal, project, profile, store, runtime));
        root.Subcommands.Add(BlocksCommand.Create(terminal));
        root.Subcommands.Add(ServeCommand.Create(terminal, project, store, runtime));
        root.Subcommands.Add(McpCommand.Create(project));
        root.Subcommands.Add(GenerateCommand.Create(terminal, project, profile, store));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                terminal.Error(ParseErrorText.Describe(error.Message));
            }

            terminal.Hint("Run 'duraflow --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            // No ProcessTerminationTimeout: by default System.CommandLine ends the process 2 s after a Ctrl-C, which cut
            // `run` off before its cancel was committed and left the cursor hidden. Commands handle Ctrl-C themselves.
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (UsageException e)
        {
            terminal.Error(e.Message);
            return ExitCodes.Usage;
        }
        catch (IoConfigException e)
        {
            // io_config.yaml has errors or the profile does not exist: the message lists them, located.
            terminal.Error(e.Message);
            return ExitCodes.Usage;
        }
        catch (StoreSettingsException e)
        {
            // duraflow.yaml has errors or the storage account setting is missing: the message says what to set.
            terminal.Error(e.Message);
            return ExitCodes.Usage;
        }
        catch (StoreUnavailableException e)
        {
            terminal.Error(e.Message);
            return ExitCodes.Failed;
        }
        catch (DurableHostException e)
        {
            // The durable runtime's task hub account cannot be reached: the message says what to start or set.
            terminal.Error(e.Message);
            return ExitCodes.Failed;
        }
        catch (SqliteException e) when (SqliteDamage.IsDamage(e))
        {
            // Damage found after the store opened, in a page it had not read yet.
            terminal.Error(SqliteDamage.Describe("(store.path in duraflow.yaml)", e));
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            terminal.Error(e.Message);
            return ExitCodes.Failed;
        }
#pragma warning disable CA1031 // The last line of defence: a user sees a sentence, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            terminal.Error($"internal error: {e.Message} (this is a bug in duraflow; set DURAFLOW_DEBUG=1 to see details)");
            if (Environment.GetEnvironmentVariable("DURAFLOW_DEBUG") == "1")
            {
                terminal.Error(e.ToString());
            }

            return ExitCodes.Failed;
        }
    }
}
