using System.CommandLine;
using ValueMcp.Server.Cli;

// valuemcp: the ValueMcp MCP server and its command line. Nothing but the protocol goes to stdout while serving.
ValueMcp.Server.StartupTrace.Mark("main");
var parse = Commands.Root().Parse(args);
ValueMcp.Server.StartupTrace.Mark("parsed");
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    // A usage error exits 2 (1 means refused: bad rows in an import, an unsafe HTTP setup, unusable tokens).
    foreach (var e in parse.Errors) Console.Error.WriteLine($"valuemcp: {e.Message}");
    Console.Error.WriteLine("(valuemcp --help, or valuemcp <command> --help, lists the commands and options)");
    return Commands.Usage;
}
try
{
    // Each command reports the failures it expects; whatever else escapes is one line too, never a stack trace.
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (OperationCanceledException e) when (e.CancellationToken.IsCancellationRequested && e.InnerException is not TimeoutException)
{
    Console.Error.WriteLine($"{CliErrors.CommandName(parse)}: interrupted");
    return 130; // as a shell reports Ctrl+C
}
catch (Exception e)
{
    return CliErrors.Report(CliErrors.CommandName(parse), e);
}
