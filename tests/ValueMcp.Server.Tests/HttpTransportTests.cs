using System.Net;
using System.Text.Json.Nodes;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The HTTP transport's checks, request by request with a plain HttpClient: what MCP 2025-11-25 (Transports,
/// Security Best Practices) requires, bearer tokens, sessions and the limits. Each case names its status code.
/// </summary>
[Collection(HttpCollection.Name)]
public sealed class HttpTransportTests(HttpFixture server) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose() => _http.Dispose();

    private static async Task<JsonNode> Error(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["jsonrpc"]!.GetValue<string>().Should().Be("2.0");
        return body["error"]!;
    }

    /// <summary>The JSON-RPC messages of an SSE response body.</summary>
    public static async Task<List<JsonNode>> Events(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.Should().Be("text/event-stream");
        var text = await response.Content.ReadAsStringAsync();
        return text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal) && l.Length > 6)
            .Select(l => JsonNode.Parse(l[5..])!).ToList();
    }

    [Fact]
    public async Task Healthz_answers_ok_without_a_token_and_says_nothing_about_the_data()
    {
        using var response = await _http.GetAsync(new Uri(server.Server.BaseUrl, "/healthz"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be(TestStore.Postgres ? """{"status":"ok","store":"postgres"}""" : """{"status":"ok","store":"sqlite"}""");
        response.Headers.CacheControl?.NoStore.Should().BeTrue();
    }

    [Fact]
    public async Task A_request_without_a_token_is_401_with_a_bearer_challenge()
    {
        using var response = await _http.SendAsync(server.Post(HttpFixture.Initialize));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer realm=\"valuemcp\"");
        (await Error(response))["code"]!.GetValue<int>().Should().Be(-32000);
    }

    [Theory]
    [InlineData("Bearer vmcp_not-a-real-token")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task A_wrong_token_is_401_invalid_token(string authorization)
    {
        var request = server.Post(HttpFixture.Initialize);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer realm=\"valuemcp\", error=\"invalid_token\"");
    }

    [Fact]
    public async Task A_token_in_the_url_is_refused_even_when_it_is_valid()
    {
        var request = server.Post(HttpFixture.Initialize, server.WriteToken);
        request.RequestUri = new Uri(server.Endpoint + "?access_token=" + server.WriteToken);
        using var response = await _http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("evil.example.com")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task A_host_not_served_is_421_dns_rebinding_protection(string host)
    {
        var request = server.Post(HttpFixture.Initialize, server.WriteToken);
        request.Headers.Host = host;
        using var response = await _http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.MisdirectedRequest);
    }

    [Theory]
    [InlineData("http://evil.example.com")]
    [InlineData("null")]
    [InlineData("https://localhost.evil.example.com")]
    public async Task A_foreign_origin_is_403(string origin)
    {
        var request = server.Post(HttpFixture.Initialize, server.WriteToken);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        using var response = await _http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("http://localhost:6274")]
    [InlineData("http://127.0.0.1")]
    public async Task A_loopback_origin_is_allowed(string origin)
    {
        var request = server.Post(HttpFixture.Initialize, server.WriteToken);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        using var response = await _http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/event-stream")]
    [InlineData("text/html")]
    public async Task A_post_that_does_not_accept_both_json_and_event_stream_is_406(string accept)
    {
        using var response = await _http.SendAsync(server.Post(HttpFixture.Initialize, server.WriteToken, accept: accept));
        response.StatusCode.Should().Be(HttpStatusCode.NotAcceptable);
    }

    [Theory]
    [InlineData("1999-01-01")]
    [InlineData("latest")]
    public async Task An_unsupported_protocol_version_header_is_400_unsupported_version_32022(string version)
    {
        // The SDK's answer (since 2.4.0): -32022 with the supported revisions in data, so that a client can pick one.
        using var response = await _http.SendAsync(server.Post(HttpFixture.Initialize, server.WriteToken, protocolVersion: version));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = await Error(response);
        error["code"]!.GetValue<int>().Should().Be(-32022);
        error["data"]!["supported"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Contain(["2025-11-25", "2026-07-28"]);
    }

    [Theory]
    [InlineData("initialize", "\"capabilities\":7")]
    [InlineData("logging/setLevel", "\"level\":\"loud\"")]
    [InlineData("resources/subscribe", "\"uri\":7")]
    public async Task A_2026_07_28_request_for_a_method_that_revision_removed_is_404_method_not_found(string method, string parameters)
    {
        // Even with params the older revisions would refuse (-32602 from the gate): the stateless revision does not have
        // the method at all.
        const string meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{}}";
        var body = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"" + method + "\",\"params\":{" + meta + "," + parameters + "}}";
        var request = server.Post(body, server.WriteToken, protocolVersion: "2026-07-28");
        request.Headers.TryAddWithoutValidation("Mcp-Method", method);
        using var response = await _http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Error(response))["code"]!.GetValue<int>().Should().Be(-32601);
    }

    [Fact]
    public async Task Malformed_json_is_400_with_parse_error_32700()
    {
        using var response = await _http.SendAsync(server.Post("""{"jsonrpc":"2.0","id":1,"method":""", server.WriteToken));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Error(response))["code"]!.GetValue<int>().Should().Be(-32700);
    }

    [Theory]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"}]""")]
    [InlineData("""{"hello":"world"}""")]
    [InlineData("42")]
    public async Task Json_that_is_not_one_json_rpc_message_is_400_invalid_request_32600(string body)
    {
        using var response = await _http.SendAsync(server.Post(body, server.WriteToken));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Error(response))["code"]!.GetValue<int>().Should().Be(-32600);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var response = await _http.SendAsync(server.Post(HttpFixture.Initialize, server.WriteToken, contentType: "text/plain"));
        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_whether_its_length_is_declared_or_streamed()
    {
        // Just over the limit, and with Expect: 100-continue, so that the client does not race the early answer.
        var big = """{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":""" + "\"" + new string('x', (int)HttpFixture.MaxRequestBytes) + "\"}}";
        var declaredRequest = server.Post(big, server.WriteToken);
        declaredRequest.Headers.ExpectContinue = true;
        using (var declared = await _http.SendAsync(declaredRequest))
            declared.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);

        var chunked = server.Post("", server.WriteToken);
        chunked.Headers.ExpectContinue = true;
        chunked.Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(big)));
        chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        using var streamed = await _http.SendAsync(chunked);
        streamed.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Initialize_opens_a_session_with_a_random_128_bit_id_and_tools_answer_in_it()
    {
        var first = await server.OpenSession(_http, server.WriteToken);
        var second = await server.OpenSession(_http, server.WriteToken);
        first.Should().NotBe(second);
        first.Should().MatchRegex("^[A-Za-z0-9_-]{22}$", "16 random bytes, base64url");

        using var call = await _http.SendAsync(server.Post(
            """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_portfolio_health","arguments":{"as_of":"2026-11-24"}}}""", server.WriteToken, first));
        call.StatusCode.Should().Be(HttpStatusCode.OK);
        call.Headers.GetValues("Mcp-Session-Id").Single().Should().Be(first);
        var answer = (await Events(call)).Single(e => e["id"]?.GetValue<int>() == 7);
        answer["result"]!["structuredContent"]!["kpis"]!["account_count"]!.GetValue<int>().Should().BePositive();
    }

    [Fact]
    public async Task A_request_without_a_session_that_is_not_initialize_is_400()
    {
        using var response = await _http.SendAsync(server.Post("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", server.WriteToken));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unknown_session_is_404_so_the_client_starts_over()
    {
        using var response = await _http.SendAsync(server.Post("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", server.WriteToken, "AAAAAAAAAAAAAAAAAAAAAA"));
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Error(response))["code"]!.GetValue<int>().Should().Be(-32001);
    }

    [Fact]
    public async Task Delete_ends_the_session_with_200_and_its_id_is_then_404()
    {
        var session = await server.OpenSession(_http, server.WriteToken);
        var delete = new HttpRequestMessage(HttpMethod.Delete, server.Endpoint);
        delete.Headers.TryAddWithoutValidation("Authorization", "Bearer " + server.WriteToken);
        delete.Headers.TryAddWithoutValidation("Mcp-Session-Id", session);
        using (var deleted = await _http.SendAsync(delete)) deleted.StatusCode.Should().Be(HttpStatusCode.OK, "the SDK's transport answers DELETE 200 (it was 204)");

        using var after = await _http.SendAsync(server.Post("""{"jsonrpc":"2.0","id":2,"method":"ping"}""", server.WriteToken, session));
        after.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_session_belongs_to_the_token_that_opened_it()
    {
        var session = await server.OpenSession(_http, server.WriteToken);
        using var response = await _http.SendAsync(server.Post("""{"jsonrpc":"2.0","id":2,"method":"ping"}""", server.ReadToken, session));
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Get_opens_one_event_stream_per_session_and_a_second_is_400()
    {
        var session = await server.OpenSession(_http, server.WriteToken);
        HttpRequestMessage Get()
        {
            var get = new HttpRequestMessage(HttpMethod.Get, server.Endpoint);
            get.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
            get.Headers.TryAddWithoutValidation("Authorization", "Bearer " + server.WriteToken);
            get.Headers.TryAddWithoutValidation("Mcp-Session-Id", session);
            return get;
        }
        using var first = await _http.SendAsync(Get(), HttpCompletionOption.ResponseHeadersRead);
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        first.Content.Headers.ContentType?.MediaType.Should().Be("text/event-stream");
        using var second = await _http.SendAsync(Get(), HttpCompletionOption.ResponseHeadersRead);
        second.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the SDK's transport refuses a second GET stream with 400 (it was 409)");

        var noSse = Get();
        noSse.Headers.Remove("Accept");
        noSse.Headers.TryAddWithoutValidation("Accept", "application/json");
        using var refused = await _http.SendAsync(noSse);
        refused.StatusCode.Should().Be(HttpStatusCode.NotAcceptable);
    }

    [Fact]
    public async Task Other_methods_are_405()
    {
        var put = new HttpRequestMessage(HttpMethod.Put, server.Endpoint) { Content = new StringContent("{}") };
        put.Headers.TryAddWithoutValidation("Authorization", "Bearer " + server.WriteToken);
        using var response = await _http.SendAsync(put);
        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Tokens_and_authorization_headers_never_reach_the_log()
    {
        await server.OpenSession(_http, server.ReadToken);
        var bad = server.Post(HttpFixture.Initialize);
        bad.Headers.TryAddWithoutValidation("Authorization", "Bearer vmcp_wrong-token-for-the-log-test");
        (await _http.SendAsync(bad)).Dispose();
        await Task.Delay(300);
        var log = string.Join("\n", server.Server.Stderr);
        log.Should().Contain(HttpFixture.ReaderName, "the session log names the token's holder");
        log.Should().NotContain(server.ReadToken).And.NotContain(server.WriteToken).And.NotContain("vmcp_wrong-token-for-the-log-test");
        log.Should().NotContain(TokenStore.HashHex(server.ReadToken));
        log.Should().NotContainEquivalentOf("authorization:");
    }
}
