using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Tests;

/// <summary>
/// An authorization server made in the test: an RSA key, its public half published as a JWKS behind OpenID discovery on
/// a loopback port (Kestrel), and tokens signed with it. The server is started with --auth-issuer and --auth-audience
/// and must fetch the keys from there.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;

    private TestIssuer(WebApplication app, RsaSecurityKey key)
    {
        _app = app;
        _key = key;
    }

    public string Issuer { get; private set; } = "";
    public int MetadataRequests;

    public static async Task<TestIssuer> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "test-key-" + Guid.NewGuid().ToString("N")[..8] };
        var issuer = new TestIssuer(app, key);
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) =>
        {
            Interlocked.Increment(ref issuer.MetadataRequests);
            var doc = new JsonObject { ["issuer"] = issuer.Issuer, ["jwks_uri"] = issuer.Issuer + "/jwks" };
            return Results.Text(doc.ToJsonString(), "application/json");
        });
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = key.KeyId });
            var doc = new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E }),
            };
            return Results.Text(doc.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Issuer = address.TrimEnd('/');
        return issuer;
    }

    /// <summary>A signed access token; every part can be made wrong.</summary>
    public string Token(string audience, string scope, string subject = "alice@example.com", TimeSpan? lifetime = null, string? issuer = null, bool otherKey = false)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        var signing = otherKey ? new RsaSecurityKey(RSA.Create(2048)) { KeyId = _key.KeyId } : _key;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("scope", scope)]),
            IssuedAt = expires < now ? expires.AddMinutes(-10) : now,
            NotBefore = expires < now ? expires.AddMinutes(-10) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(signing, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}

/// <summary>
/// The OAuth 2.1 resource server: RFC 9728 metadata, WWW-Authenticate challenges, JWT validation (signature against the
/// issuer's published keys, issuer, audience, expiry) and the scopes mapped to the roles. The static tokens keep working
/// beside it.
/// </summary>
public sealed class OAuthFixture : IAsyncLifetime
{
    public const string Audience = "https://valuemcp.test/mcp";

    public string StaticToken { get; } = TokenStore.NewToken();
    public string Dir { get; private set; } = "";
    public TestIssuer Issuer { get; private set; } = null!;
    public HttpServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Dir = Path.Combine(Path.GetTempPath(), "valuemcp-oauth-" + Guid.NewGuid().ToString("N")[..12]);
        var db = HttpServerProcess.DemoDatabase(Dir);
        Issuer = await TestIssuer.Start();
        Server = await HttpServerProcess.Start(db, ["--auth-issuer", Issuer.Issuer, "--auth-audience", Audience],
            new Dictionary<string, string?> { [TokenStore.InlineVariable] = TokenStore.Line("static-reader", CallerRole.Read, TokenStore.HashHex(StaticToken)) });
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        if (Issuer is not null) await Issuer.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        HttpFixture.Cleanup(Dir);
    }
}

public sealed class OAuthTests(OAuthFixture fixture) : IClassFixture<OAuthFixture>, IDisposable
{
    private const string Audience = OAuthFixture.Audience;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly string _staticToken = fixture.StaticToken;
    private readonly string _dir = fixture.Dir;

    private TestIssuer Issuer => fixture.Issuer;
    private HttpServerProcess Server => fixture.Server;

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Post(string body, string? token, string? session = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Server.Endpoint) { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-11-25");
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (session is not null) request.Headers.TryAddWithoutValidation("Mcp-Session-Id", session);
        return request;
    }

    private async Task<HttpResponseMessage> Initialize(string? token) => await _http.SendAsync(Post(HttpFixture.Initialize, token));

    private async Task<string> OpenSession(string token)
    {
        using var init = await Initialize(token);
        init.StatusCode.Should().Be(HttpStatusCode.OK, await init.Content.ReadAsStringAsync());
        var session = init.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await _http.SendAsync(Post("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", token, session));
        initialized.StatusCode.Should().Be(HttpStatusCode.Accepted);
        return session;
    }

    private static Dictionary<string, string> Challenge(HttpResponseMessage response)
    {
        var header = response.Headers.WwwAuthenticate.ToString();
        header.Should().StartWith("Bearer ");
        return System.Text.RegularExpressions.Regex.Matches(header, "([a-z_]+)=\"([^\"]*)\"")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    [Fact]
    public async Task The_protected_resource_metadata_names_the_resource_the_issuer_and_the_scopes()
    {
        foreach (var path in new[] { "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp" })
        {
            using var response = await _http.GetAsync(new Uri(Server.BaseUrl, path));
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
            var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            doc["resource"]!.GetValue<string>().Should().Be(Audience);
            doc["authorization_servers"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal(Issuer.Issuer);
            doc["scopes_supported"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("valuemcp:read", "valuemcp:write");
            doc["bearer_methods_supported"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("header");
        }
    }

    [Fact]
    public async Task No_token_is_401_with_a_challenge_pointing_at_the_metadata()
    {
        using var response = await Initialize(null);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var challenge = Challenge(response);
        challenge["resource_metadata"].Should().Be(new Uri(Server.BaseUrl, "/.well-known/oauth-protected-resource").ToString());
        challenge.Should().NotContainKey("error", "no token was presented (RFC 6750, 3.1)");
    }

    [Fact]
    public async Task A_good_token_with_the_write_scope_reads_and_writes_and_is_the_author()
    {
        var token = Issuer.Token(Audience, "valuemcp:read valuemcp:write", subject: "alice@example.com");
        var session = await OpenSession(token);
        using var call = await _http.SendAsync(Post(
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"log_signal","arguments":{"account_id":"ACC-0003","category":"success","polarity":1,"note":"oauth write"}}}""", token, session));
        call.StatusCode.Should().Be(HttpStatusCode.OK);
        var answer = (await HttpTransportTests.Events(call)).Single(e => e["id"]?.GetValue<int>() == 2);
        answer["result"]!["isError"]?.GetValue<bool>().Should().NotBe(true, answer.ToJsonString());

        using var audit = await _http.SendAsync(Post("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_audit_log","arguments":{"limit":1}}}""", token, session));
        var entries = (await HttpTransportTests.Events(audit)).Single(e => e["id"]?.GetValue<int>() == 3)["result"]!["structuredContent"]!["entries"]!.AsArray();
        entries[0]!["author"]!.GetValue<string>().Should().Be("alice@example.com", "the access token's subject is the author");
        Issuer.MetadataRequests.Should().BeGreaterThan(0, "the server fetched the issuer's metadata and keys");
    }

    [Fact]
    public async Task An_expired_token_is_401_invalid_token()
    {
        using var response = await Initialize(Issuer.Token(Audience, "valuemcp:write", lifetime: TimeSpan.FromMinutes(-5)));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var challenge = Challenge(response);
        challenge["error"].Should().Be("invalid_token");
        challenge["error_description"].Should().Contain("expired");
        challenge.Should().ContainKey("resource_metadata");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401()
    {
        using var response = await Initialize(Issuer.Token("https://other.example.com/mcp", "valuemcp:write"));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Challenge(response)["error_description"].Should().Contain("audience");
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_401_even_when_signed_with_the_same_key()
    {
        using var response = await Initialize(Issuer.Token(Audience, "valuemcp:write", issuer: "https://evil.example.com"));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Challenge(response)["error_description"].Should().Contain("issuer");
    }

    [Fact]
    public async Task A_token_signed_with_a_key_the_issuer_did_not_publish_is_401()
    {
        using var response = await Initialize(Issuer.Token(Audience, "valuemcp:write", otherKey: true));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Challenge(response)["error_description"].Should().Contain("signature");
    }

    [Fact]
    public async Task A_read_scope_reads_but_calling_a_write_tool_is_403_insufficient_scope_and_writes_nothing()
    {
        var token = Issuer.Token(Audience, "valuemcp:read");
        var session = await OpenSession(token);
        using (var read = await _http.SendAsync(Post("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_portfolio_health","arguments":{"as_of":"2026-11-24"}}}""", token, session)))
            read.StatusCode.Should().Be(HttpStatusCode.OK);

        var before = HttpClientTests.RowCounts(TestStore.Target(Path.Combine(_dir, "http.db")));
        using var write = await _http.SendAsync(Post(
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"log_signal","arguments":{"account_id":"ACC-0003","category":"success","polarity":1}}}""", token, session));
        write.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var challenge = Challenge(write);
        challenge["error"].Should().Be("insufficient_scope");
        challenge["scope"].Should().Be("valuemcp:write");
        challenge.Should().ContainKey("resource_metadata");
        HttpClientTests.RowCounts(TestStore.Target(Path.Combine(_dir, "http.db"))).Should().Equal(before, "nothing was written");
    }

    [Fact]
    public async Task A_token_with_neither_scope_is_403_insufficient_scope()
    {
        using var response = await Initialize(Issuer.Token(Audience, "openid profile"));
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        Challenge(response)["error"].Should().Be("insufficient_scope");
    }

    [Fact]
    public async Task The_static_tokens_still_work_beside_oauth()
    {
        await OpenSession(_staticToken);
        using var wrong = await Initialize(TokenStore.NewToken());
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Access_tokens_never_reach_the_log()
    {
        var token = Issuer.Token(Audience, "valuemcp:read");
        await OpenSession(token);
        (await Initialize(Issuer.Token(Audience, "valuemcp:read", lifetime: TimeSpan.FromMinutes(-5)))).Dispose();
        await Task.Delay(300);
        var log = string.Join("\n", Server.Stderr);
        log.Should().NotContain(token).And.NotContain(token.Split('.')[1], "not even the payload");
        log.Should().Contain("expired");
    }

    [Fact]
    public void With_oauth_and_static_tokens_the_start_line_names_both()
    {
        var start = Server.Stderr.Should().ContainSingle(l => l.StartsWith("valuemcp: authentication: ", StringComparison.Ordinal)).Which;
        start.Should().Contain($"OAuth access tokens from {Issuer.Issuer} for the resource {Audience}")
            .And.Contain($"{OAuthOptions.ReadScope}, {OAuthOptions.WriteScope}")
            .And.Contain($"; and static bearer tokens: ").And.EndWith($"1 token in ${TokenStore.InlineVariable}");
        Server.Stderr.Should().Contain(l => l.Contains("over HTTP at ", StringComparison.Ordinal) && l.EndsWith("(OAuth and 1 bearer token(s))", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--auth-issuer", "https://login.example.com")]
    [InlineData("--auth-audience", "https://valuemcp.test/mcp")]
    public async Task One_of_issuer_and_audience_without_the_other_is_a_usage_error(string option, string value)
    {
        var (exit, _, stderr) = await HttpServerProcess.RunToExit(["serve", "--http", "--urls", "http://127.0.0.1:0", "--db", TestStore.Target(Path.Combine(_dir, "http.db")), option, value]);
        exit.Should().Be(2);
        stderr.Should().Contain("--auth-issuer and --auth-audience go together");
    }

    [Fact]
    public async Task A_plain_http_issuer_off_loopback_is_refused()
    {
        var (exit, _, stderr) = await HttpServerProcess.RunToExit(["serve", "--http", "--urls", "http://127.0.0.1:0", "--db", TestStore.Target(Path.Combine(_dir, "http.db")),
            "--auth-issuer", "http://login.example.com", "--auth-audience", Audience]);
        exit.Should().Be(2);
        stderr.Should().Contain("is not an https:// URL");
    }

    [Fact]
    public async Task With_oauth_and_no_static_token_anywhere_the_server_starts_with_oauth_alone()
    {
        await using var server = await HttpServerProcess.Start(TestStore.Target(Path.Combine(_dir, "http.db")), ["--auth-issuer", Issuer.Issuer, "--auth-audience", Audience],
            new Dictionary<string, string?> { [TokenStore.InlineVariable] = null, [TokenStore.FileVariable] = null });
        // The start line says what is in force: OAuth from this issuer for this resource, and no static token (not
        // "no tokens file", as if bearer tokens were the only way in).
        var start = server.Stderr.Should().ContainSingle(l => l.StartsWith("valuemcp: authentication: ", StringComparison.Ordinal)).Which;
        start.Should().Contain($"OAuth access tokens from {Issuer.Issuer} for the resource {Audience}").And.EndWith("; no static bearer tokens");
        server.Stderr.Should().NotContain(l => l.Contains("no tokens file", StringComparison.Ordinal) || l.StartsWith("valuemcp: bearer tokens", StringComparison.Ordinal));
        server.Stderr.Should().Contain(l => l.Contains("over HTTP at ", StringComparison.Ordinal) && l.EndsWith("(OAuth only)", StringComparison.Ordinal));
        using var response = await _http.SendAsync(Post(HttpFixture.Initialize, null).WithUri(server.Endpoint));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "OAuth alone still needs a token");
    }
}

internal static class RequestExtensions
{
    public static HttpRequestMessage WithUri(this HttpRequestMessage request, Uri uri)
    {
        request.RequestUri = uri;
        return request;
    }
}
