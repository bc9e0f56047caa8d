using Duraflow.Bench;

return await BenchProgram.RunAsync(args);
