using Duraflow.Cli.Commands;

return DuraflowCommand.Run(args);
