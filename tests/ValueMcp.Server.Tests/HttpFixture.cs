using Microsoft.Data.Sqlite;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Tests;

[CollectionDefinition(Name)]
public sealed class HttpCollection : ICollectionFixture<HttpFixture>
{
    public const string Name = "valuemcp server over HTTP with tokens";
}

/// <summary>
/// The built server over Streamable HTTP on a loopback port it picks, serving its own copy of the demo portfolio,
/// with two operator tokens: one read, one write (given in VALUEMCP_TOKENS as hashes; the tests keep the tokens).
/// </summary>
public sealed class HttpFixture : IAsyncLifetime
{
    public const string ReaderName = "analyst-read";
    public const string WriterName = "vp-write";
    public const long MaxRequestBytes = 64 * 1024;

    private string _workDir = "";
    private HttpServerProcess? _server;

    public string ReadToken { get; } = TokenStore.NewToken();
    public string WriteToken { get; } = TokenStore.NewToken();
    public string DbPath { get; private set; } = "";
    public HttpServerProcess Server => _server ?? throw new InvalidOperationException("not started");
    public Uri Endpoint => Server.Endpoint;

    public async Task InitializeAsync()
    {
        _workDir = Path.Combine(Path.GetTempPath(), "valuemcp-http-" + Guid.NewGuid().ToString("N")[..12]);
        DbPath = HttpServerProcess.DemoDatabase(_workDir);
        var tokens = string.Join(";",
            TokenStore.Line(ReaderName, CallerRole.Read, TokenStore.HashHex(ReadToken)),
            TokenStore.Line(WriterName, CallerRole.Write, TokenStore.HashHex(WriteToken)));
        _server = await HttpServerProcess.Start(DbPath, ["--max-request-bytes", MaxRequestBytes.ToString()],
            new Dictionary<string, string?> { [TokenStore.InlineVariable] = tokens });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Cleanup(_workDir);
    }

    public static void Cleanup(string dir)
    {
        for (var attempt = 0; attempt < 10 && Directory.Exists(dir); attempt++)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                Thread.Sleep(200);
            }
            catch (UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>A raw request to the MCP endpoint with the headers a conforming client sends (each overridable).</summary>
    public HttpRequestMessage Post(string body, string? token = null, string? session = null, string accept = "application/json, text/event-stream",
        string contentType = "application/json", string? protocolVersion = "2025-11-25")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent(body) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (session is not null) request.Headers.TryAddWithoutValidation("Mcp-Session-Id", session);
        if (protocolVersion is not null) request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", protocolVersion);
        return request;
    }

    public const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw-http","version":"1.0"}}}""";

    /// <summary>Opens a session with the token (initialize + initialized); returns its id.</summary>
    public async Task<string> OpenSession(HttpClient http, string token)
    {
        using var init = await http.SendAsync(Post(Initialize, token));
        init.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await init.Content.ReadAsStringAsync());
        var session = init.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await http.SendAsync(Post("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", token, session));
        initialized.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
        return session;
    }
}
