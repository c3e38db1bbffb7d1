using System.Diagnostics;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ValueMcp.DemoData;
using ValueMcp.Store;

namespace ValueMcp.Server.Tests;

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "valuemcp server over stdio";
}

/// <summary>
/// One temporary database imported from the demo portfolio CSVs, served by the built valuemcp.dll as a child
/// process over stdio, and one MCP client talking to it. Shared by every test of the collection.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    /// <summary>The demo's anchor date: every call uses it so that the answers are reproducible.</summary>
    public const string AsOfText = "2026-11-24";
    public static readonly DateOnly AsOf = new(2026, 11, 24);

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private string _workDir = "";
    private McpClient? _client;

    public McpClient Client => _client ?? throw new InvalidOperationException("the server is not started");
    public string DbPath { get; private set; } = "";
    public string DataFolder { get; private set; } = "";
    /// <summary>Where the CSVs came from: the committed samples or a freshly generated portfolio.</summary>
    public string DataOrigin { get; private set; } = "";
    public DemoFacts Facts { get; private set; } = null!;
    public ConcurrentQueue<string> ServerStderr { get; } = new();

    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "valuemcp.dll");

    /// <summary>
    /// The server the tests start: the built valuemcp.dll through `dotnet`, or the executable VALUEMCP_TEST_SERVER names
    /// (scripts/aot-check.sh points it at the Native AOT build and runs the end-to-end tests against that).
    /// </summary>
    public static string ServerCommand =>
        Environment.GetEnvironmentVariable("VALUEMCP_TEST_SERVER") is { Length: > 0 } exe ? Path.GetFullPath(exe) : "dotnet";

    /// <summary>The command line arguments that start the server with args.</summary>
    public static string[] ServerArgs(params IEnumerable<string> args) => ServerCommand == "dotnet" ? [ServerDll, .. args] : [.. args];

    /// <summary>A process start for the server with args (nothing redirected: the caller says what it reads).</summary>
    public static ProcessStartInfo ServerStart(params IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(ServerCommand) { UseShellExecute = false };
        foreach (var a in ServerArgs(args)) start.ArgumentList.Add(a);
        return start;
    }

    public async Task InitializeAsync()
    {
        _workDir = Path.Combine(Path.GetTempPath(), "valuemcp-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_workDir);

        var committed = Path.Combine(TestPaths.RepoRoot, "samples", "demo-portfolio");
        string[] files = ["accounts.csv", "arr_movements.csv", "outcomes.csv", "evidence.csv", "signals.csv", "milestones.csv"];
        if (files.All(f => File.Exists(Path.Combine(committed, f))))
        {
            DataFolder = committed;
            DataOrigin = "samples/demo-portfolio (committed)";
        }
        else
        {
            DataFolder = Path.Combine(_workDir, "demo-portfolio");
            PortfolioGenerator.Write(DataFolder, new GeneratorOptions());
            DataOrigin = "generated (PortfolioGenerator, default options)";
        }
        Facts = DemoFacts.Load(DataFolder);

        DbPath = TestStore.Demo(TestStore.Target(Path.Combine(_workDir, "e2e.db")), DataFolder);

        File.Exists(ServerCommand == "dotnet" ? ServerDll : ServerCommand).Should().BeTrue($"the server must be built ({ServerCommand} {ServerDll})");
        _client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "e2e",
            Command = ServerCommand,
            Arguments = ServerArgs("serve", "--db", DbPath),
            StandardErrorLines = line => ServerStderr.Enqueue(line),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        }), ClientOptions);
    }

    /// <summary>
    /// The SDK's defaults, except a longer server/discover probe: a cold `dotnet valuemcp.dll` on a busy machine can
    /// take more than the default 5 s to answer, and the client's fallback to initialize then races the late answer.
    /// </summary>
    public static McpClientOptions ClientOptions => new()
    {
        DiscoverProbeTimeout = TimeSpan.FromSeconds(60),
        InitializationTimeout = TimeSpan.FromSeconds(90),
    };

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (DbPath.Length > 0) TestStore.Drop(DbPath);
        for (var attempt = 0; attempt < 10 && Directory.Exists(_workDir); attempt++)
        {
            try
            {
                Directory.Delete(_workDir, recursive: true);
            }
            catch (IOException)
            {
                await Task.Delay(200);
            }
            catch (UnauthorizedAccessException)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Calls a tool; as_of is the demo's anchor date unless the arguments name one.</summary>
    public async Task<CallToolResult> Call(string tool, IReadOnlyDictionary<string, object?>? args = null)
    {
        var all = new Dictionary<string, object?>(args ?? new Dictionary<string, object?>(), StringComparer.Ordinal);
        all.TryAdd("as_of", AsOfText);
        using var cts = new CancellationTokenSource(CallTimeout);
        return await Client.CallToolAsync(tool, all, cancellationToken: cts.Token);
    }

    /// <summary>Calls a tool with arguments given as a JSON object text.</summary>
    public Task<CallToolResult> Call(string tool, string argsJson)
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(argsJson)!
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);
        return Call(tool, args);
    }

    /// <summary>Calls a tool that must succeed; returns its structured content, after checking the text rendering.</summary>
    public async Task<JsonObject> Ok(string tool, IReadOnlyDictionary<string, object?>? args = null)
    {
        var result = await Call(tool, args);
        var text = Text(result);
        (result.IsError ?? false).Should().BeFalse($"{tool} should succeed, but answered: {text}");
        text.Should().NotBeNullOrWhiteSpace($"{tool} must return a text rendering");
        result.StructuredContent.Should().NotBeNull($"{tool} must return structured content");
        var node = JsonNode.Parse(JsonSerializer.Serialize(result.StructuredContent));
        node.Should().BeOfType<JsonObject>($"{tool}'s structured content is a JSON object");
        return (JsonObject)node!;
    }

    public static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}

public static class TestPaths
{
    /// <summary>tests/ValueMcp.Server.Tests in the source tree (found by walking up from the test binaries).</summary>
    public static string ProjectDir { get; } = Find("ValueMcp.Server.Tests.csproj");

    /// <summary>The repository root (the folder holding ValueMcp.sln).</summary>
    public static string RepoRoot { get; } = Find("ValueMcp.sln");

    private static string Find(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, file))) return dir.FullName;
        throw new InvalidOperationException($"{file} not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>Reading numbers and fields out of structured content.</summary>
public static class J
{
    public static JsonNode Req(this JsonNode node, string name) =>
        node[name] ?? throw new InvalidOperationException($"missing field \"{name}\" in {Short(node)}");

    public static decimal Dec(this JsonNode node, string name) => node.Req(name).GetValue<decimal>();
    public static decimal? OptDec(this JsonNode node, string name) => node[name]?.GetValue<decimal>();
    public static int Int(this JsonNode node, string name) => node.Req(name).GetValue<int>();
    public static string Str(this JsonNode node, string name) => node.Req(name).GetValue<string>();
    public static string? OptStr(this JsonNode node, string name) => node[name]?.GetValue<string>();
    public static JsonArray Arr(this JsonNode node, string name) => node.Req(name).AsArray();
    public static JsonObject Obj(this JsonNode node, string name) => node.Req(name).AsObject();
    public static IEnumerable<JsonObject> Objects(this JsonNode node, string name) => node.Arr(name).Select(n => n!.AsObject());

    public static string Short(JsonNode node)
    {
        var s = node.ToJsonString();
        return s.Length > 300 ? s[..300] + "..." : s;
    }

    /// <summary>Every item matches (vacuously true for an empty collection, unlike OnlyContain); lists the ones that do not.</summary>
    public static void ShouldAll<T>(this IEnumerable<T> items, Func<T, bool> predicate, string because = "")
    {
        var failing = items.Where(i => !predicate(i)).Select(i => i is JsonNode n ? Short(n) : i?.ToString()).ToList();
        failing.Should().BeEmpty(because);
    }

    public static Dictionary<string, object?> Args(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
