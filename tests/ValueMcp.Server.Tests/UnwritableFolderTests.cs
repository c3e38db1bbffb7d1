using System.Collections.Concurrent;
using ModelContextProtocol.Client;

namespace ValueMcp.Server.Tests;

/// <summary>
/// A database in a folder its user cannot write (run by a user who really cannot: see Unprivileged): `serve
/// --read-only` and `portfolio` read it without writing anything there (no migration, no -wal or -shm file); `import`,
/// a read-write `serve` and `demo` refuse it in one clear line; token files that cannot be read or written likewise.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnwritableFolderTests : IDisposable
{
    private readonly string _dir = OwnServer.NewDir("unwritable");
    private readonly Unprivileged _user;
    private readonly string _locked;
    private readonly string _db;

    public UnwritableFolderTests()
    {
        Directory.CreateDirectory(_dir);
        _user = new Unprivileged(_dir);
        _locked = Path.Combine(_dir, "published");
        _db = OwnServer.NewDemoDatabase(_locked); // published/own.db, checkpointed: no -wal, no -shm beside it
        _user.Lock(_locked);
    }

    public void Dispose()
    {
        _user.Dispose();
        HttpFixture.Cleanup(_dir);
    }

    private string[] Listing() => Directory.EnumerateFileSystemEntries(_locked).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [SqliteFact]
    public async Task The_folder_is_really_unwritable_for_the_server()
    {
        // The same user and the same folder as the tests below: a new database cannot be made there.
        var probe = Path.Combine(_locked, "probe.db");
        var run = await HttpServerProcess.RunToExit(["import", OwnServer.DemoFolder, "--db", probe], wrap: _user.Wrap);
        run.ExitCode.Should().NotBe(0, run.Stderr);
        File.Exists(probe).Should().BeFalse();
        Listing().Should().Equal("own.db");
    }

    [SqliteFact]
    public async Task Serve_read_only_reads_it_without_writing_anything_there()
    {
        var before = OwnServer.FileFingerprint(_db);
        var listing = Listing();
        var stderr = new ConcurrentQueue<string>();
        await using (var client = await McpClient.CreateAsync(
            _user.Transport("unwritable", ["serve", "--db", _db, "--read-only"], stderr.Enqueue), ServerFixture.ClientOptions))
        {
            var health = await client.CallToolAsync("get_portfolio_health", new Dictionary<string, object?> { ["as_of"] = ServerFixture.AsOfText });
            (health.IsError ?? false).Should().BeFalse($"{ServerFixture.Text(health)}; stderr: {string.Join("\n", stderr)}");
            health.StructuredContent!.Value.GetProperty("kpis").GetProperty("account_count").GetInt32().Should().BePositive();
            var tools = await client.ListToolsAsync();
            tools.Should().NotContain(t => t.Name == "log_signal", "read-only");
        }
        stderr.Should().NotContain(l => l.Contains("readonly database", StringComparison.OrdinalIgnoreCase));
        Listing().Should().Equal(listing, "nothing is created beside the database");
        OwnServer.FileFingerprint(_db).Should().Be(before, "nothing is written to it");

        var portfolio = await HttpServerProcess.RunToExit(["portfolio", "--db", _db, "--as-of", ServerFixture.AsOfText], wrap: _user.Wrap);
        portfolio.ExitCode.Should().Be(0, portfolio.Stderr);
        portfolio.Stdout.Should().Contain("ARR managed");
        Listing().Should().Equal(listing);
    }

    [SqliteFact]
    public async Task Writing_commands_refuse_it_in_one_clear_line()
    {
        var before = OwnServer.FileFingerprint(_db);
        string[][] commands =
        [
            ["import", OwnServer.DemoFolder, "--db", _db],
            ["serve", "--db", _db],
            ["demo", "--db", _db],
        ];
        foreach (var args in commands)
        {
            var run = await HttpServerProcess.RunToExit(args, wrap: _user.Wrap);
            var because = string.Join(" ", args);
            CliOutput.ShouldBeOneClearLine(run, because);
            run.Stderr.Should().Contain($"cannot write {_db}", because).And.Contain("--read-only", because);
        }
        OwnServer.FileFingerprint(_db).Should().Be(before);
        Listing().Should().Equal("own.db");
    }

    [SqliteFact]
    public async Task Token_files_it_cannot_read_are_one_clear_line()
    {
        var secrets = Path.Combine(_dir, "secrets");
        var file = Path.Combine(secrets, "tokens.txt");
        (await HttpServerProcess.RunToExit(["token", "add", "vp-claude", "--role", "read", "--file", file])).ExitCode.Should().Be(0);
        _user.Lock(secrets);
        // Readable by its owner only (as root, the server runs as another user); as another user, by no one.
        File.SetUnixFileMode(file, Unprivileged.AsRoot ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.None);
        // A database the server reads normally (in its HOME), so that serve's one line is about the tokens file.
        var readable = Path.Combine(_user.Home, "own.db");
        File.Copy(_db, readable);
        string[][] commands =
        [
            ["token", "list", "--file", file],
            ["token", "remove", "vp-claude", "--file", file],
            ["token", "add", "csm-aisha", "--role", "read", "--file", file],
            ["serve", "--http", "--db", readable, "--read-only", "--tokens", file],
        ];
        foreach (var args in commands)
        {
            var run = await HttpServerProcess.RunToExit(args, wrap: _user.Wrap);
            var because = string.Join(" ", args);
            CliOutput.ShouldBeOneClearLine(run, because, exitCode: 1);
            run.Stderr.Should().Contain($"cannot read {file}", because);
        }
    }
}
