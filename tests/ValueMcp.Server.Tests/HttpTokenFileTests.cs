using System.Net;
using System.Text;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Which bearer tokens `serve --http` uses: the default tokens file that `token add` writes (tokens.txt in the user's
/// data directory) unless --tokens or VALUEMCP_TOKENS_FILE names another; the start line says which file and how many
/// tokens; a file given explicitly must hold a token; and with no token at all the server refuses to start unless
/// told, with the dangerous flag, to serve without authentication.
/// </summary>
public sealed class HttpTokenFileTests : IAsyncLifetime
{
    private const string Dangerous = "--dangerously-allow-unauthenticated-remote";
    private readonly string _dir = OwnServer.NewDir("token-file");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private string _db = "";

    public Task InitializeAsync()
    {
        _db = HttpServerProcess.DemoDatabase(_dir);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _http.Dispose();
        HttpFixture.Cleanup(_dir);
        return Task.CompletedTask;
    }

    /// <summary>A data directory of the test's own, for token add and the server alike.</summary>
    private Dictionary<string, string?> DataHome() => new() { [HttpServerProcess.DataHomeVariable] = Path.Combine(_dir, "data") };

    private string DefaultTokensFile => Path.Combine(_dir, "data", "valuemcp", "tokens.txt");

    private async Task<HttpStatusCode> Initialize(Uri endpoint)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(HttpFixture.Initialize, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Serve(IDictionary<string, string?> env, params string[] extra) =>
        HttpServerProcess.RunToExit(["serve", "--http", "--urls", "http://127.0.0.1:0", "--db", _db, .. extra], env);

    [Fact]
    public async Task Serve_http_uses_the_default_tokens_file_that_token_add_writes()
    {
        var env = DataHome();
        var (exit, stdout, stderr) = await HttpServerProcess.RunToExit(["token", "add", "vp-claude", "--role", "write"], env);
        exit.Should().Be(0, stderr);
        var token = stdout.Trim();
        stderr.Should().Contain(DefaultTokensFile, "token add says where it wrote");

        await using var server = await HttpServerProcess.Start(_db, env: env);
        server.Stderr.Should().Contain(l => l.Contains(DefaultTokensFile, StringComparison.Ordinal) && l.Contains("1 token", StringComparison.Ordinal),
            "the start line names the tokens file and how many tokens it holds");
        (await Initialize(server.Endpoint)).Should().Be(HttpStatusCode.Unauthorized, "the default file's token is required");
        await using var client = await server.Client(token);
        (await client.ListToolsAsync()).Should().Contain(t => t.Name == "log_signal", "the token has the write role");
    }

    [Fact]
    public async Task A_tokens_file_given_explicitly_must_hold_a_token()
    {
        var file = Path.Combine(_dir, "empty-tokens.txt");
        await File.WriteAllTextAsync(file, "# valuemcp bearer tokens: NAME ROLE SHA256-HEX\n\n   # nothing yet\n");
        string[][] given = [["--tokens", file], ["--tokens", file, Dangerous]];
        foreach (var extra in given)
        {
            var (exit, stdout, stderr) = await Serve(DataHome(), extra);
            exit.Should().Be(1, "an empty tokens file given explicitly refuses the start ({0})", string.Join(" ", extra));
            stdout.Should().BeEmpty();
            stderr.Should().Contain(file).And.Contain("holds no token").And.Contain("valuemcp token add");
        }

        var viaVariable = await Serve(new Dictionary<string, string?>(DataHome()) { [TokenStore.FileVariable] = file });
        viaVariable.ExitCode.Should().Be(1, "a file named by VALUEMCP_TOKENS_FILE is given explicitly too");
        viaVariable.Stderr.Should().Contain(file).And.Contain("holds no token");
    }

    [Fact]
    public async Task Without_any_token_serve_http_refuses_unless_the_dangerous_flag_is_given()
    {
        var env = DataHome();
        var (exit, stdout, stderr) = await Serve(env);
        exit.Should().Be(1, "no token anywhere and no flag: no silent open server, even on loopback");
        stdout.Should().BeEmpty();
        stderr.Should().Contain("without bearer tokens").And.Contain(DefaultTokensFile).And.Contain("does not exist")
            .And.Contain("valuemcp token add").And.Contain(Dangerous);

        // The default file exists but holds no token (token remove took the last one): the same refusal, saying so.
        Directory.CreateDirectory(Path.GetDirectoryName(DefaultTokensFile)!);
        await File.WriteAllTextAsync(DefaultTokensFile, "# valuemcp bearer tokens: NAME ROLE SHA256-HEX\n");
        (exit, _, stderr) = await Serve(env);
        exit.Should().Be(1);
        stderr.Should().Contain(DefaultTokensFile).And.Contain("holds no token").And.Contain(Dangerous);

        await using var server = await HttpServerProcess.Start(_db, [Dangerous], env);
        server.Stderr.Should().Contain(l => l.Contains("NO AUTHENTICATION", StringComparison.Ordinal), "the start line says the server is open");
        (await Initialize(server.Endpoint)).Should().Be(HttpStatusCode.OK, "the flag serves without authentication");
    }

    [Fact]
    public async Task The_start_line_counts_the_tokens_of_each_source()
    {
        var file = Path.Combine(_dir, "team-tokens.txt");
        var lines = new[] { "a", "b" }.Select(n => TokenStore.Line(n, CallerRole.Read, TokenStore.HashHex(TokenStore.NewToken())));
        await File.WriteAllLinesAsync(file, lines);
        var env = new Dictionary<string, string?>(DataHome())
        {
            [TokenStore.InlineVariable] = TokenStore.Line("c", CallerRole.Write, TokenStore.HashHex(TokenStore.NewToken())),
        };
        await using var server = await HttpServerProcess.Start(_db, ["--tokens", file], env);
        server.Stderr.Should().Contain(l => l.Contains($"2 tokens in {file} (--tokens)", StringComparison.Ordinal)
                                            && l.Contains($"1 token in ${TokenStore.InlineVariable}", StringComparison.Ordinal));
    }
}
