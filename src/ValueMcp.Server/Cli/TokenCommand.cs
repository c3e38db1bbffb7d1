using System.CommandLine;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Cli;

/// <summary>
/// `valuemcp token add|list|remove`: the operator's bearer tokens for `serve --http`. A new token is printed once,
/// on stdout; the file keeps only its SHA-256, its name (the author of its writes) and its role.
/// </summary>
public static class TokenCommand
{
    private static Option<string?> FileOption() => new("--file")
    {
        Description = $"The token file. Default: ${TokenStore.FileVariable}, else the default tokens file ({TokenFile.DefaultName} in the user's data directory), which `serve --http` reads too.",
        HelpName = "FILE",
    };

    private static string PathOf(ParseResult parse, Option<string?> file) => TokenFile.Locate(parse.GetValue(file), file.Name).Path;

    public static Command Command()
    {
        var cmd = new Command("token", "Manage the bearer tokens of `serve --http`: add (prints the new token once), list, remove. Restart the server to apply.");
        cmd.Add(Add());
        cmd.Add(List());
        cmd.Add(Remove());
        return cmd;
    }

    private static Command Add()
    {
        var name = new Argument<string>("NAME") { Description = "Who holds the token (e.g. vp-claude, csm-aisha, weekly-job): the author of its writes in the audit log." };
        var role = new Option<string>("--role") { Description = "read (read tools only) or write (also the write tools).", Required = true };
        var file = FileOption();
        var cmd = new Command("add", "Create a token: prints it once on stdout and stores only its SHA-256 in the token file.") { name, role, file };
        cmd.SetAction(parse =>
        {
            var tokenName = parse.GetValue(name)!;
            if (!TokenStore.IsValidName(tokenName)) return Fail("the name must be 1-64 letters, digits, '.', '_', '-' or '@'", Commands.Usage);
            if (TokenStore.ParseRole(parse.GetValue(role) ?? "") is not { } tokenRole) return Fail("--role must be read or write", Commands.Usage);
            string path = "";
            try
            {
                path = PathOf(parse, file);
                var existing = File.Exists(path) ? TokenStore.Load(path, null) : TokenStore.Empty;
                if (existing.Entries.Any(e => e.Name.Equals(tokenName, StringComparison.OrdinalIgnoreCase)))
                    return Fail($"{path} already has a token named {tokenName}; remove it first (valuemcp token remove {tokenName})", Commands.Refused);
                var token = TokenStore.NewToken();
                Append(path, TokenStore.Line(tokenName, tokenRole, TokenStore.HashHex(token)));
                Console.Out.WriteLine(token);
                Console.Error.WriteLine($"valuemcp token: added {tokenName} ({TokenStore.RoleName(tokenRole)}) to {path}. " +
                    "The token above is shown only this once: hand it to its holder over a private channel. Restart the server to use it.");
                return Commands.Ok;
            }
            catch (TokenConfigException e)
            {
                return Fail(e.Message, Commands.Refused);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return path.Length == 0 ? Fail(e.Message, Commands.Usage) : Fail($"cannot write {path}: {e.Message}", Commands.Refused);
            }
        });
        return cmd;
    }

    private static Command List()
    {
        var file = FileOption();
        var cmd = new Command("list", "List the token names and roles (never the tokens: they are not stored).") { file };
        cmd.SetAction(parse =>
        {
            try
            {
                var path = PathOf(parse, file);
                var store = File.Exists(path) ? TokenStore.Load(path, null) : TokenStore.Empty;
                foreach (var e in store.Entries) Console.Out.WriteLine($"{e.Name} {TokenStore.RoleName(e.Role)}");
                if (store.IsEmpty) Console.Error.WriteLine($"valuemcp token: no tokens in {path}");
                return Commands.Ok;
            }
            catch (TokenConfigException e)
            {
                return Fail(e.Message, Commands.Refused);
            }
            catch (IOException e)
            {
                return Fail(e.Message, Commands.Usage); // the user's data directory
            }
        });
        return cmd;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("NAME") { Description = "The token to revoke." };
        var file = FileOption();
        var cmd = new Command("remove", "Revoke a token: removes its line from the token file (restart the server to apply).") { name, file };
        cmd.SetAction(parse =>
        {
            var tokenName = parse.GetValue(name)!;
            var path = "";
            string[] lines;
            try
            {
                path = PathOf(parse, file);
                if (!File.Exists(path)) return Fail($"token file not found: {path}", Commands.Refused);
                lines = File.ReadAllLines(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return path.Length == 0 ? Fail(e.Message, Commands.Usage) : Fail($"cannot read {path}: {e.Message}", Commands.Refused);
            }
            var kept = lines.Where(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is not [var first, ..]
                                        || !first.Equals(tokenName, StringComparison.OrdinalIgnoreCase)).ToList();
            if (kept.Count == lines.Length) return Fail($"no token named {tokenName} in {path}", Commands.Refused);
            try
            {
                File.WriteAllLines(path, kept);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail($"cannot write {path}: {e.Message}", Commands.Refused);
            }
            Console.Error.WriteLine($"valuemcp token: removed {tokenName} from {path}. Restart the server to apply.");
            return Commands.Ok;
        });
        return cmd;
    }

    /// <summary>Appends a line, creating the file readable by its owner only (it names who may write).</summary>
    private static void Append(string path, string line)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        if (!File.Exists(path))
        {
            var header = "# valuemcp bearer tokens: NAME ROLE SHA256-HEX (the tokens themselves are never stored)" + Environment.NewLine;
            if (OperatingSystem.IsWindows()) File.WriteAllText(path, header);
            else
            {
                using var stream = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                using var writer = new StreamWriter(stream);
                writer.Write(header);
            }
        }
        File.AppendAllText(path, line + Environment.NewLine);
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"valuemcp token: {message}");
        return code;
    }
}
