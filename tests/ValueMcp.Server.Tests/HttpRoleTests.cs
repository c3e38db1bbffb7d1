using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Server.Http;
using ValueMcp.Server.Security;
using ValueMcp.Store;

namespace ValueMcp.Server.Tests;

/// <summary>A tool that writes (readOnlyHint false) and records who called it, added to the real MCP surface.</summary>
[McpServerToolType]
public sealed class RecordingWriteTool
{
    public static ConcurrentQueue<string> Authors { get; } = new();

    [McpServerTool(Name = "record_test_note", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Test only: records a note with its author.")]
    public static string Record(RequestContext<CallToolRequestParams> context, [Description("The note.")] string note)
    {
        var author = Caller.Of(context).Name;
        Authors.Enqueue(author);
        return $"recorded \"{note}\" by {author}";
    }
}

/// <summary>
/// The role of a token over HTTP, with a write tool added in-process to the same host `serve --http` builds: a read
/// token never reaches it (isError, nothing recorded), a write token does, and the tool sees the token's name as the
/// author. Over stdio the caller is the local operator.
/// </summary>
public sealed class HttpRoleTests : IAsyncLifetime
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "valuemcp-role-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _readToken = TokenStore.NewToken();
    private readonly string _writeToken = TokenStore.NewToken();
    private IFactStore? _db;
    private WebApplication? _app;
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        _db = TestStore.Open(HttpServerProcess.DemoDatabase(_workDir));
        var tokens = TokenStore.Load(null, string.Join(";",
            TokenStore.Line("csm-reader", CallerRole.Read, TokenStore.HashHex(_readToken)),
            TokenStore.Line("weekly-job", CallerRole.Write, TokenStore.HashHex(_writeToken))));
        var options = new HttpServeOptions { Urls = ["http://127.0.0.1:0"], Tokens = tokens };
        _app = HttpHost.Build(new ServeOptions(_db), options, Binding.Of(options.Urls, []), mcp => mcp.WithTools<RecordingWriteTool>());
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _endpoint = new Uri(address + "/mcp");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _db?.Dispose();
        SqliteConnection.ClearAllPools();
        HttpFixture.Cleanup(_workDir);
    }

    private Task<McpClient> Client(string token)
    {
        var options = ServerFixture.ClientOptions;
        options.ProtocolVersion = "2025-11-25";
        return McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }), options);
    }

    [Fact]
    public async Task A_read_token_gets_an_error_and_the_write_tool_never_runs()
    {
        var before = RecordingWriteTool.Authors.Count(a => a == "csm-reader");
        await using var reader = await Client(_readToken);
        (await reader.ListToolsAsync()).Select(t => t.Name).Should().NotContain("record_test_note").And.Contain("get_portfolio_health");
        var result = await reader.CallToolAsync("record_test_note", new Dictionary<string, object?> { ["note"] = "from a reader" });
        result.IsError.Should().BeTrue();
        ServerFixture.Text(result).Should().Contain("read role").And.Contain("nothing was written");
        RecordingWriteTool.Authors.Count(a => a == "csm-reader").Should().Be(before, "the tool body never ran");
        (await reader.CallToolAsync("get_portfolio_health", new Dictionary<string, object?> { ["as_of"] = ServerFixture.AsOfText }))
            .IsError.Should().NotBe(true, "read tools stay open to a read token");
    }

    [Fact]
    public async Task A_write_token_runs_the_write_tool_and_is_its_author()
    {
        await using var writer = await Client(_writeToken);
        (await writer.ListToolsAsync()).Select(t => t.Name).Should().Contain("record_test_note");
        var result = await writer.CallToolAsync("record_test_note", new Dictionary<string, object?> { ["note"] = "weekly" });
        result.IsError.Should().NotBe(true, ServerFixture.Text(result));
        ServerFixture.Text(result).Should().Be("recorded \"weekly\" by weekly-job", "the author of a write over HTTP is the token's name");
    }

    [Fact]
    public void Without_an_authenticated_user_the_caller_is_the_local_operator_who_may_write()
    {
        Caller.From(null).Should().Be(Caller.LocalOperator);
        Caller.LocalOperator.CanWrite.Should().BeTrue();
        var principal = new Caller("ci", CallerRole.Read).ToPrincipal();
        Caller.From(principal).Should().Be(new Caller("ci", CallerRole.Read));
        Caller.From(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Name, "x")], "other")))
            .Should().Be(Caller.LocalOperator, "only identities made by the bearer check count");
    }
}
