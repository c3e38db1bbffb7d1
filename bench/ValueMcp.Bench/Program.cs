using System.CommandLine;
using ValueMcp.Bench;

// The benchmarks of ValueMcp, outside the shipped tool: dotnet run -c Release --project bench/ValueMcp.Bench -- bench ...
var root = new RootCommand("ValueMcp's benchmarks: the read path against one SQL statement (bench), the import against sqlite3 (bench-import), " +
                           "the HTTP load test (bench-http). Each starts the shipped server as a child process. Figures: bench/README.md.")
{
    ScaleBench.Command(),
    ImportBench.Command(),
    HttpLoad.Command(),
};
return await root.Parse(args).InvokeAsync();
