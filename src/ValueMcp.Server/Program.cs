using System.CommandLine;
using ValueMcp.Server.Cli;

// valuemcp: the ValueMcp MCP server and its command line. Nothing but the protocol goes to stdout while serving.
ValueMcp.Server.StartupTrace.Mark("main");
var parse = Commands.Root().Parse(args);
ValueMcp.Server.StartupTrace.Mark("parsed");
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    // A usage error exits 2 (1 means refused: bad rows, a database that cannot be served).
    foreach (var e in parse.Errors) Console.Error.WriteLine($"valuemcp: {e.Message}");
    Console.Error.WriteLine("(valuemcp --help, or valuemcp <command> --help, lists the commands and options)");
    return Commands.Usage;
}
return await parse.InvokeAsync();
