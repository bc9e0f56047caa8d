using Duraflow.Bench;

return BenchProgram.Run(args);
