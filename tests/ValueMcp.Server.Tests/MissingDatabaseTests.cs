using ModelContextProtocol.Client;

namespace ValueMcp.Server.Tests;

/// <summary>
/// A typo in --db: `serve` and `portfolio` refuse a database that does not exist (creating nothing) and say how to
/// import into it; `serve --create` starts an empty one on purpose; `import` and `demo` create one, and say so.
/// </summary>
public sealed class MissingDatabaseTests : IDisposable
{
    private readonly string _dir = OwnServer.NewDir("missing-db");

    public MissingDatabaseTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        HttpFixture.Cleanup(_dir);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("serve", "--read-only")]
    [InlineData("serve", "--http", "--dangerously-allow-unauthenticated-remote")]
    [InlineData("portfolio")]
    public async Task A_database_that_does_not_exist_is_refused_with_the_import_command(params string[] command)
    {
        var typo = Path.Combine(_dir, "portfolo", "valuemcp.db");
        var run = await HttpServerProcess.RunToExit([.. command, "--db", typo]);
        CliOutput.ShouldBeOneClearLine(run, string.Join(" ", command));
        run.Stdout.Should().BeEmpty();
        run.Stderr.Should().Contain($"database not found: {typo}").And.Contain($"valuemcp import FOLDER --db {typo}");
        Directory.Exists(Path.GetDirectoryName(typo)).Should().BeFalse("nothing is created for a database that does not exist");
    }

    [Fact]
    public async Task Serve_create_starts_an_empty_database_on_purpose()
    {
        var fresh = Path.Combine(_dir, "new", "valuemcp.db");
        var stderr = new List<string>();
        await using (var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "create",
            Command = ServerFixture.ServerCommand,
            Arguments = ServerFixture.ServerArgs("serve", "--db", fresh, "--create"),
            StandardErrorLines = line => { lock (stderr) stderr.Add(line); },
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        }), ServerFixture.ClientOptions))
        {
            var health = await client.CallToolAsync("get_portfolio_health", new Dictionary<string, object?> { ["as_of"] = ServerFixture.AsOfText });
            (health.IsError ?? false).Should().BeFalse(ServerFixture.Text(health));
            health.StructuredContent!.Value.GetProperty("kpis").GetProperty("account_count").GetInt32().Should().Be(0);
        }
        File.Exists(fresh).Should().BeTrue();
        lock (stderr) stderr.Should().Contain(l => l.Contains($"created a new, empty database at {fresh}", StringComparison.Ordinal));

        var contradiction = await HttpServerProcess.RunToExit(["serve", "--db", Path.Combine(_dir, "other.db"), "--create", "--read-only"]);
        CliOutput.ShouldBeOneClearLine(contradiction, "--create with --read-only");
        contradiction.Stderr.Should().Contain("--create").And.Contain("--read-only");
    }

    [Fact]
    public async Task Import_and_demo_create_a_new_database_and_say_so()
    {
        var imported = Path.Combine(_dir, "imported", "valuemcp.db");
        var import = await HttpServerProcess.RunToExit(["import", OwnServer.DemoFolder, "--db", imported]);
        import.ExitCode.Should().Be(0, import.Stderr);
        import.Stderr.Should().Contain($"created a new database at {imported}");

        var again = await HttpServerProcess.RunToExit(["import", OwnServer.DemoFolder, "--db", imported]);
        again.ExitCode.Should().Be(0, again.Stderr);
        again.Stderr.Should().NotContain("new database", "the database exists now");

        var demo = Path.Combine(_dir, "demo.db");
        var loaded = await HttpServerProcess.RunToExit(["demo", "--db", demo]);
        loaded.ExitCode.Should().Be(0, loaded.Stderr);
        loaded.Stderr.Should().Contain($"created a new database at {demo}");
    }
}
