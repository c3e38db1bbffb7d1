using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ValueMcp.Store;

namespace ValueMcp.Server.Tests;

/// <summary>
/// A server of one's own: a temporary folder with a fresh database imported from the demo CSVs (the shared
/// ServerFixture's database must never be written to), served by the built valuemcp.dll over stdio with the given
/// extra arguments and environment, and one MCP client. Deleted on dispose.
/// </summary>
public sealed class OwnServer : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private OwnServer(string dir) => Dir = dir;

    public string Dir { get; }
    /// <summary>The --db of this server: dir/own.db, or its PostgreSQL database (TestStore).</summary>
    public string DbPath => TestStore.Target(Path.Combine(Dir, "own.db"));
    public McpClient Client { get; private set; } = null!;
    public ConcurrentQueue<string> Stderr { get; } = new();

    /// <summary>A new temporary folder holding a database with the demo portfolio (its CSVs and its overrides, TestStore.Demo).</summary>
    public static string NewDemoDatabase(string dir)
    {
        Directory.CreateDirectory(dir);
        return TestStore.Demo(TestStore.Target(Path.Combine(dir, "own.db")), DemoFolder);
    }

    public static string DemoFolder => Path.Combine(TestPaths.RepoRoot, "samples", "demo-portfolio");

    public static string NewDir(string tag) => Path.Combine(Path.GetTempPath(), $"valuemcp-{tag}-{Guid.NewGuid().ToString("N")[..12]}");

    /// <summary>Starts a server on a fresh copy of the demo database (or on the database already at dir/own.db).</summary>
    public static async Task<OwnServer> Start(string tag, string[]? args = null, IDictionary<string, string?>? env = null, string? dir = null)
    {
        var server = new OwnServer(dir ?? NewDir(tag));
        if (!TestStore.Exists(server.DbPath)) NewDemoDatabase(server.Dir);
        await server.Connect(args ?? [], env);
        return server;
    }

    private async Task Connect(string[] args, IDictionary<string, string?>? env)
    {
        var environment = new Dictionary<string, string?>(env ?? new Dictionary<string, string?>());
        environment.TryAdd(App.OperatorAuthor.Variable, null);
        environment.TryAdd(App.ImportRoot.Variable, null);
        environment.TryAdd(Cli.PolicyOption.Variable, null);
        Client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "own",
            Command = ServerFixture.ServerCommand,
            Arguments = ServerFixture.ServerArgs(["serve", "--db", DbPath, .. args]),
            EnvironmentVariables = environment,
            StandardErrorLines = line => Stderr.Enqueue(line),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        }), ServerFixture.ClientOptions);
    }

    public async Task<CallToolResult> Call(string tool, IReadOnlyDictionary<string, object?> args)
    {
        using var cts = new CancellationTokenSource(CallTimeout);
        return await Client.CallToolAsync(tool, args, cancellationToken: cts.Token);
    }

    public Task<CallToolResult> Call(string tool, string argsJson) =>
        Call(tool, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(argsJson)!
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal));

    /// <summary>Calls a tool that must succeed; returns its structured content.</summary>
    public async Task<JsonObject> Ok(string tool, IReadOnlyDictionary<string, object?> args)
    {
        var result = await Call(tool, args);
        var text = ServerFixture.Text(result);
        (result.IsError ?? false).Should().BeFalse($"{tool} should succeed, but answered: {text}");
        text.Should().NotBeNullOrWhiteSpace();
        result.StructuredContent.Should().NotBeNull();
        return JsonNode.Parse(JsonSerializer.Serialize(result.StructuredContent))!.AsObject();
    }

    /// <summary>Calls a tool that must fail; returns its text.</summary>
    public async Task<string> Error(string tool, IReadOnlyDictionary<string, object?> args)
    {
        var result = await Call(tool, args);
        var text = ServerFixture.Text(result);
        (result.IsError ?? false).Should().BeTrue($"{tool} should answer isError, but answered: {text}");
        return text;
    }

    /// <summary>A hash of the database file and its WAL (or of every stored row): unchanged, nothing was written.</summary>
    public string Fingerprint() => TestStore.Fingerprint(DbPath);

    public static string FileFingerprint(string dbPath)
    {
        using var sha = SHA256.Create();
        foreach (var p in new[] { dbPath, dbPath + "-wal" })
        {
            var bytes = File.Exists(p) ? ReadShared(p) : [];
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }

    private static byte[] ReadShared(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    /// <summary>Rows per table, read from a new connection (what another process sees).</summary>
    public static Dictionary<string, long> Counts(string dbPath) => TestStore.Counts(dbPath);

    internal static Dictionary<string, long> SqliteCounts(string dbPath)
    {
        using var c = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=False");
        c.Open();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var t in new[] { "accounts", "arr_movements", "outcomes", "evidence", "signals", "milestones", "overrides", "audit_log" })
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM {t}";
            counts[t] = (long)cmd.ExecuteScalar()!;
        }
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TestStore.Drop(DbPath);
        for (var attempt = 0; attempt < 10 && Directory.Exists(Dir); attempt++)
        {
            try { Directory.Delete(Dir, recursive: true); }
            catch (IOException) { await Task.Delay(200); }
            catch (UnauthorizedAccessException) { await Task.Delay(200); }
        }
    }
}
