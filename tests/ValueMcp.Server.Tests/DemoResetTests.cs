using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;

namespace ValueMcp.Server.Tests;

/// <summary>
/// `valuemcp demo --reset` rebuilds the demo database (the one `serve --demo` and `portfolio --demo` use) from the
/// embedded CSVs, dropping the writes made to it, and says what it did; it refuses while a server has it open.
/// </summary>
public sealed class DemoResetTests : IDisposable
{
    private readonly string _dir = OwnServer.NewDir("demo-reset");
    private readonly Dictionary<string, string?> _env;

    public DemoResetTests()
    {
        Directory.CreateDirectory(_dir);
        _env = new() { [HttpServerProcess.DataHomeVariable] = Path.Combine(_dir, "data"), ["VALUEMCP_DB"] = null };
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        HttpFixture.Cleanup(_dir);
    }

    private Task<McpClient> ServeDemo() => McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
    {
        Name = "demo-reset",
        Command = ServerFixture.ServerCommand,
        Arguments = ServerFixture.ServerArgs("serve", "--demo", "--operator", "reset-test"),
        EnvironmentVariables = _env,
        ShutdownTimeout = TimeSpan.FromSeconds(5),
    }), ServerFixture.ClientOptions);

    private string DemoDatabase => Directory.EnumerateFiles(Path.Combine(_dir, "data", "valuemcp"), "demo-*.db").Single();

    private static long Probes(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM signals WHERE kind = 'reset_probe'";
        return (long)cmd.ExecuteScalar()!;
    }

    private static async Task LogProbe(McpClient client)
    {
        var result = await client.CallToolAsync("log_signal", new Dictionary<string, object?>
        {
            ["account_id"] = "ACC-0001", ["category"] = "usage", ["kind"] = "reset_probe", ["polarity"] = 1,
        });
        (result.IsError ?? false).Should().BeFalse(ServerFixture.Text(result));
    }

    [Fact]
    public async Task Reset_rebuilds_the_demo_database_and_drops_the_writes_made_to_it()
    {
        await using (var client = await ServeDemo())
        {
            await LogProbe(client);
            await LogProbe(client);
        }
        var db = DemoDatabase;
        Probes(db).Should().Be(2, "writes under --demo land in the demo database");

        var reset = await HttpServerProcess.RunToExit(["demo", "--reset"], _env);
        reset.ExitCode.Should().Be(0, reset.Stderr);
        reset.Stdout.Should().Contain($"rebuilt the demo database {db} from the embedded demo portfolio").And.Contain("dropped 2 writes");
        Directory.EnumerateFiles(Path.GetDirectoryName(db)!).Should().Equal([db], "no building file and no old write-ahead log is left behind");
        Probes(db).Should().Be(0, "the writes are gone");

        var fresh = Path.Combine(_dir, "fresh.db");
        (await HttpServerProcess.RunToExit(["demo", "--db", fresh], _env)).ExitCode.Should().Be(0);
        OwnServer.Counts(db).Should().Equal(OwnServer.Counts(fresh), "the same as a demo database built from scratch");

        var again = await HttpServerProcess.RunToExit(["demo", "--reset"], _env);
        again.ExitCode.Should().Be(0, again.Stderr);
        again.Stdout.Should().Contain("no writes had been made to it");

        await using var served = await ServeDemo();
        var health = await served.CallToolAsync("get_portfolio_health", new Dictionary<string, object?> { ["as_of"] = ServerFixture.AsOfText });
        (health.IsError ?? false).Should().BeFalse(ServerFixture.Text(health));
    }

    [Fact]
    public async Task Reset_refuses_while_a_server_has_the_demo_database_open()
    {
        await using (var client = await ServeDemo())
        {
            await LogProbe(client);
            var before = OwnServer.FileFingerprint(DemoDatabase);
            var reset = await HttpServerProcess.RunToExit(["demo", "--reset"], _env);
            CliOutput.ShouldBeOneClearLine(reset, "demo --reset while serving", exitCode: 1);
            reset.Stderr.Should().Contain("in use").And.Contain(DemoDatabase);
            OwnServer.FileFingerprint(DemoDatabase).Should().Be(before, "the demo database is left as it was");
            await LogProbe(client); // and the server goes on serving it
        }
        Probes(DemoDatabase).Should().Be(2);
        var after = await HttpServerProcess.RunToExit(["demo", "--reset"], _env);
        after.ExitCode.Should().Be(0, after.Stderr);
        Probes(DemoDatabase).Should().Be(0);
    }

    [Fact]
    public async Task Reset_without_a_demo_database_builds_it_and_does_not_take_db()
    {
        var reset = await HttpServerProcess.RunToExit(["demo", "--reset"], _env);
        reset.ExitCode.Should().Be(0, reset.Stderr);
        reset.Stdout.Should().Contain($"built the demo database {DemoDatabase}");

        var withDb = await HttpServerProcess.RunToExit(["demo", "--reset", "--db", Path.Combine(_dir, "mine.db")], _env);
        CliOutput.ShouldBeOneClearLine(withDb, "demo --reset --db");
        withDb.Stderr.Should().Contain("--reset").And.Contain("--db");
        File.Exists(Path.Combine(_dir, "mine.db")).Should().BeFalse();
    }
}
