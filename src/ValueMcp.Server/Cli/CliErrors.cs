using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Data.Sqlite;
using ValueMcp.Server.App;
using ValueMcp.Server.Security;
using ValueMcp.Store;

namespace ValueMcp.Server.Cli;

/// <summary>
/// What the command line says when a command cannot do what it was asked: one line on stderr, "valuemcp COMMAND:
/// what went wrong", never a stack trace.
/// </summary>
public static class CliErrors
{
    /// <summary>
    /// The failures a user can cause or mend (a file, a folder, a database, an argument, a token file): the message
    /// says what is wrong. Anything else is a defect, still reported in one line (Line).
    /// </summary>
    public static bool IsExpected(Exception e) =>
        e is IOException or UnauthorizedAccessException or StoreException or SqliteException or InputException or TokenConfigException;

    /// <summary>"valuemcp COMMAND: message" on one line; the innermost message of an aggregate; a defect named as one.</summary>
    public static string Line(string command, Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        var message = IsExpected(e) ? e.Message : $"unexpected error ({e.GetType().Name}): {e.Message}";
        return $"{command}: {string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}";
    }

    /// <summary>Writes Line to stderr; returns Commands.Usage (bad input or an unusable file, folder or port).</summary>
    public static int Report(string command, Exception e)
    {
        Console.Error.WriteLine(Line(command, e));
        return Commands.Usage;
    }

    /// <summary>"valuemcp token add" for the command the parse result ran.</summary>
    public static string CommandName(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult { Command: not RootCommand } c; r = c.Parent) names.Insert(0, c.Command.Name);
        return string.Join(" ", ["valuemcp", .. names]);
    }
}
