using System.CommandLine;
using ValueMcp.Server.Cli;

// valuemcp: the ValueMcp MCP server and its command line. Nothing but the protocol goes to stdout while serving.
return await Commands.Root().Parse(args).InvokeAsync();
