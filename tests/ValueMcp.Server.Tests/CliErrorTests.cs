using System.Net;
using System.Net.Sockets;

namespace ValueMcp.Server.Tests;

/// <summary>What the command line says when it cannot do what it was asked.</summary>
public static class CliOutput
{
    /// <summary>Exit code 2 (unless told otherwise) and exactly one line on stderr, starting "valuemcp", with no trace.</summary>
    public static void ShouldBeOneClearLine((int ExitCode, string Stdout, string Stderr) run, string because, int exitCode = 2)
    {
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        run.Stderr.Should().NotContain("   at ", $"no stack trace ({because})").And.NotContain("Unhandled exception", because);
        lines.Should().HaveCount(1, $"one clear line ({because}), not:\n{run.Stderr}");
        lines[0].Should().StartWith("valuemcp", because);
        run.ExitCode.Should().Be(exitCode, $"{because}: {run.Stderr}");
    }
}

/// <summary>
/// No stack trace anywhere on the command line: a file that is not a database, a port already in use, a folder that
/// cannot be made, in every command that meets them, is one clear line on stderr and exit code 2.
/// </summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly string _dir = OwnServer.NewDir("cli-errors");

    public CliErrorTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => HttpFixture.Cleanup(_dir);

    private string FileWith(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_one_clear_line_in_every_command()
    {
        var csv = FileWith("portfolio.csv", "id,name\nACC-1,Acme\n");
        var txt = FileWith("somefile.txt", "notes about the portfolio\n");
        string[][] commands =
        [
            ["portfolio", "--db", csv],
            ["portfolio", "--db", txt],
            ["demo", "--db", txt],
            ["serve", "--db", txt],
            ["serve", "--db", txt, "--read-only"],
            ["serve", "--http", "--db", txt, "--dangerously-allow-unauthenticated-remote"],
            ["import", OwnServer.DemoFolder, "--db", txt],
            ["import", OwnServer.DemoFolder, "--db", csv, "--dry-run"],
        ];
        foreach (var args in commands)
        {
            var run = await HttpServerProcess.RunToExit(args);
            var because = string.Join(" ", args);
            CliOutput.ShouldBeOneClearLine(run, because);
            run.Stderr.Should().Contain(args[Array.IndexOf(args, "--db") + 1], because).And.Contain("not a database", because);
        }
        (await File.ReadAllTextAsync(txt)).Should().Be("notes about the portfolio\n", "nothing is written to a file that is not a database");
        (await File.ReadAllTextAsync(csv)).Should().Be("id,name\nACC-1,Acme\n");
    }

    [Fact]
    public async Task A_port_already_in_use_is_one_clear_line()
    {
        var db = HttpServerProcess.DemoDatabase(Path.Combine(_dir, "port"));
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var run = await HttpServerProcess.RunToExit(
            ["serve", "--http", "--urls", $"http://127.0.0.1:{port}", "--db", db, "--dangerously-allow-unauthenticated-remote"]);
        CliOutput.ShouldBeOneClearLine(run, "port in use");
        run.Stderr.Should().Contain($"127.0.0.1:{port}").And.Contain("address already in use");
    }

    [Fact]
    public async Task A_folder_that_cannot_be_made_is_one_clear_line_in_every_command()
    {
        var db = HttpServerProcess.DemoDatabase(Path.Combine(_dir, "db"));
        var file = FileWith("a-file", "not a folder\n");
        var under = Path.Combine(file, "sub");
        var dataHomeUnderAFile = new Dictionary<string, string?> { [HttpServerProcess.DataHomeVariable] = under };
        var cases = new (string[] Args, Dictionary<string, string?>? Env)[]
        {
            (["generate", under], null),
            (["import", OwnServer.DemoFolder, "--db", Path.Combine(under, "x.db")], null),
            (["demo", "--db", Path.Combine(under, "x.db")], null),
            (["serve", "--db", Path.Combine(under, "x.db"), "--create"], null),
            // The user's data directory itself cannot be made: the demo database and the default tokens file live there.
            (["portfolio", "--demo"], dataHomeUnderAFile),
            (["serve", "--demo"], dataHomeUnderAFile),
            (["demo"], dataHomeUnderAFile),
            (["token", "add", "vp-claude", "--role", "read"], dataHomeUnderAFile),
            (["token", "list"], dataHomeUnderAFile),
            (["serve", "--http", "--db", db], dataHomeUnderAFile),
        };
        foreach (var (args, env) in cases)
        {
            var run = await HttpServerProcess.RunToExit(args, env);
            CliOutput.ShouldBeOneClearLine(run, string.Join(" ", args));
        }
        (await File.ReadAllTextAsync(file)).Should().Be("not a folder\n");
    }
}
