using System.Net;
using System.Net.Sockets;
using System.Text;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The limits and refusals that need a server started their own way: idle expiry, the per-client rate limit, the
/// request timeout, and the setups `serve --http` refuses to start with; plus the token command.
/// </summary>
public sealed class HttpLimitsTests : IAsyncLifetime
{
    /// <summary>These servers run without tokens (the limits are not about authentication): on loopback, with the flag that says so.</summary>
    private const string NoTokens = "--dangerously-allow-unauthenticated-remote";

    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "valuemcp-limits-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private string _db = "";

    public Task InitializeAsync()
    {
        _db = HttpServerProcess.DemoDatabase(_workDir);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _http.Dispose();
        HttpFixture.Cleanup(_workDir);
        return Task.CompletedTask;
    }

    private static HttpRequestMessage Post(Uri endpoint, string body, string? session = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        if (session is not null) request.Headers.TryAddWithoutValidation("Mcp-Session-Id", session);
        return request;
    }

    private async Task<string> Initialize(Uri endpoint)
    {
        using var response = await _http.SendAsync(Post(endpoint, HttpFixture.Initialize));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return response.Headers.GetValues("Mcp-Session-Id").Single();
    }

    [Fact]
    public async Task An_idle_session_expires_and_its_id_is_then_404()
    {
        await using var server = await HttpServerProcess.Start(_db, ["--session-timeout", "1", NoTokens]);
        var session = await Initialize(server.Endpoint);
        using (var alive = await _http.SendAsync(Post(server.Endpoint, """{"jsonrpc":"2.0","id":2,"method":"ping"}""", session)))
            alive.StatusCode.Should().Be(HttpStatusCode.OK);

        // No request for longer than the timeout: the SDK's sweep (every 5 s) ends the session. Asked every second, for
        // at most 20 s, each ask waiting longer than the timeout so that it does not keep the session alive.
        var status = HttpStatusCode.OK;
        for (var waited = 0; waited < 20 && status != HttpStatusCode.NotFound; waited += 2)
        {
            await Task.Delay(2000);
            using var expired = await _http.SendAsync(Post(server.Endpoint, """{"jsonrpc":"2.0","id":4,"method":"ping"}""", session));
            status = expired.StatusCode;
        }
        status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Past_the_rate_limit_a_client_gets_429_with_retry_after()
    {
        await using var server = await HttpServerProcess.Start(_db, ["--rate-limit", "3", NoTokens]);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 5; i++)
        {
            var response = await _http.SendAsync(Post(server.Endpoint, HttpFixture.Initialize));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
            else response.Dispose();
        }
        statuses.Take(3).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        statuses.Skip(3).Should().AllBeEquivalentTo(HttpStatusCode.TooManyRequests);
        limited!.Headers.RetryAfter?.Delta.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(60));
        limited.Dispose();
        using var health = await _http.GetAsync(new Uri(server.BaseUrl, "/healthz"));
        health.StatusCode.Should().Be(HttpStatusCode.OK, "the health check is not rate limited");
    }

    [Fact]
    public async Task A_request_slower_than_the_timeout_is_cut_off_with_504()
    {
        await using var server = await HttpServerProcess.Start(_db, ["--request-timeout", "1", NoTokens]);
        // A client that announces a body and then stalls (slowloris): the server does not wait forever.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseUrl.Host, server.BaseUrl.Port);
        var stream = tcp.GetStream();
        var head = $"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{server.BaseUrl.Port}\r\nContent-Type: application/json\r\n" +
                   "Accept: application/json, text/event-stream\r\nContent-Length: 200\r\n\r\n{\"jsonrpc\":";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var status = await reader.ReadLineAsync(cts.Token);
        status.Should().Be("HTTP/1.1 504 Gateway Timeout");
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://192.0.2.10:0")]
    public async Task A_non_loopback_address_without_tokens_is_refused(string url)
    {
        var (exit, stdout, stderr) = await HttpServerProcess.RunToExit(["serve", "--http", "--urls", url, "--db", _db, "--allowed-hosts", "mcp.example.com"]);
        exit.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("refusing to serve a non-loopback address without bearer tokens").And.Contain("--dangerously-allow-unauthenticated-remote");
    }

    [Fact]
    public async Task Every_address_needs_the_host_names_clients_use()
    {
        var token = TokenStore.NewToken();
        var env = new Dictionary<string, string?> { [TokenStore.InlineVariable] = TokenStore.Line("a", CallerRole.Read, TokenStore.HashHex(token)) };
        var (exit, _, stderr) = await HttpServerProcess.RunToExit(["serve", "--http", "--urls", "http://0.0.0.0:0", "--db", _db], env);
        exit.Should().Be(1);
        stderr.Should().Contain("--allowed-hosts");
    }

    [Fact]
    public async Task A_bad_token_file_is_refused_with_its_line()
    {
        var file = Path.Combine(_workDir, "tokens.txt");
        await File.WriteAllTextAsync(file, "# comment\nok read " + new string('a', 64) + "\nbroken writer nothex\n");
        var (exit, _, stderr) = await HttpServerProcess.RunToExit(["serve", "--http", "--db", _db, "--tokens", file]);
        exit.Should().Be(1);
        stderr.Should().Contain($"{file}:3:").And.Contain("role must be read or write");
    }

    [Fact]
    public async Task Http_options_without_http_are_a_usage_error()
    {
        var (exit, _, stderr) = await HttpServerProcess.RunToExit(["serve", "--db", _db, "--urls", "http://127.0.0.1:0"]);
        exit.Should().Be(2);
        stderr.Should().Contain("--urls only apply with --http");
    }

    [Fact]
    public async Task Token_add_prints_the_token_once_and_stores_only_its_hash()
    {
        var file = Path.Combine(_workDir, "issued", "tokens.txt");
        var (exit, stdout, stderr) = await HttpServerProcess.RunToExit(["token", "add", "vp-claude", "--role", "write", "--file", file]);
        exit.Should().Be(0, stderr);
        var token = stdout.Trim();
        token.Should().StartWith("vmcp_").And.HaveLength("vmcp_".Length + 43);
        var text = await File.ReadAllTextAsync(file);
        text.Should().NotContain(token).And.Contain($"vp-claude write {TokenStore.HashHex(token)}");
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        TokenStore.Load(file, null).Verify(token).Should().Be(new Caller("vp-claude", CallerRole.Write));

        (await HttpServerProcess.RunToExit(["token", "add", "vp-claude", "--role", "read", "--file", file])).ExitCode.Should().Be(1, "names are unique");
        var (_, listed, _) = await HttpServerProcess.RunToExit(["token", "list", "--file", file]);
        listed.Trim().Should().Be("vp-claude write");
        (await HttpServerProcess.RunToExit(["token", "remove", "vp-claude", "--file", file])).ExitCode.Should().Be(0);
        TokenStore.Load(file, null).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exit, stdout, _) = await HttpServerProcess.RunToExit(["--version"]);
        exit.Should().Be(0);
        stdout.Trim().Should().StartWith(Hosting.Version);
    }

    [Fact]
    public void Tokens_are_compared_by_hash_against_every_entry()
    {
        var a = TokenStore.NewToken();
        var b = TokenStore.NewToken();
        a.Should().NotBe(b);
        var store = TokenStore.Load(null, $"{TokenStore.Line("a", CallerRole.Read, TokenStore.HashHex(a))};{TokenStore.Line("b", CallerRole.Write, TokenStore.HashHex(b))}");
        store.Verify(a).Should().Be(new Caller("a", CallerRole.Read));
        store.Verify(b).Should().Be(new Caller("b", CallerRole.Write));
        store.Verify(a + "x").Should().BeNull();
        store.Verify("").Should().BeNull();
        var duplicate = () => TokenStore.Load(null, $"{TokenStore.Line("a", CallerRole.Read, TokenStore.HashHex(a))};{TokenStore.Line("A", CallerRole.Write, TokenStore.HashHex(b))}");
        duplicate.Should().Throw<TokenConfigException>().WithMessage("*unique*");
    }
}
