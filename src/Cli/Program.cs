using Duraflow.Cli;

return DuraflowCommand.Run(args);
