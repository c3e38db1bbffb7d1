using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The same malformed messages as StdioProtocolTests, each POSTed to /mcp: an error about the message itself (not
/// JSON, not one JSON-RPC message, a wrong id, a notification or response that cannot be accepted) is 400 with the
/// JSON-RPC error; an error about a well-formed request's params is 200 with the JSON-RPC error as application/json,
/// as a request's answer is. The session keeps serving afterwards; answers are bounded.
/// </summary>
[Collection(HttpCollection.Name)]
public sealed class HttpProtocolTests(HttpFixture server) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Post(byte[] body, string? session)
    {
        var request = server.Post("", server.WriteToken, session);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    private async Task ShouldStillServe(string session)
    {
        using var ping = await _http.SendAsync(server.Post("""{"jsonrpc":"2.0","id":"after","method":"ping"}""", server.WriteToken, session));
        ping.StatusCode.Should().Be(HttpStatusCode.OK, "the session keeps serving after the malformed message");
        (await HttpTransportTests.Events(ping)).Single(e => e["id"]?.GetValue<string>() == "after")["result"].Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(ProtocolCases.Names), MemberType = typeof(ProtocolCases))]
    public async Task Each_malformed_message_is_answered_with_its_json_rpc_error(string name)
    {
        var c = ProtocolCases.Named(name);
        var session = await server.OpenSession(_http, server.WriteToken);
        using var response = await _http.SendAsync(Post(c.Bytes, c.IsInitialize ? null : session));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(c.IsMessageLevel ? HttpStatusCode.BadRequest : HttpStatusCode.OK, $"{name}: {text}");
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json", $"{name}: {text}");
        text.Length.Should().BeLessThan(2_000, "answers are bounded");
        var answer = JsonNode.Parse(text)!;
        if (c.Code is null)
        {
            // A notification or a response the server cannot accept: 400, with an error that has no id (Transports, MCP 2025-11-25).
            answer["id"].Should().BeNull(name);
            answer["error"]!["code"]!.GetValue<int>().Should().BeOneOf(ProtocolCases.InvalidRequest, ProtocolCases.InvalidParams);
            answer["error"]!["message"]!.GetValue<string>().Should().Contain(c.MessageHas[0]);
        }
        else
        {
            ProtocolCases.ShouldAnswer(answer, c);
        }
        if (c.IsInitialize) response.Headers.Contains("Mcp-Session-Id").Should().BeFalse("a refused initialize opens no session");
        await ShouldStillServe(session);
    }

    [Theory]
    [MemberData(nameof(ProtocolCases.Huge), MemberType = typeof(ProtocolCases))]
    public async Task A_long_value_is_never_echoed_back_whole(string where)
    {
        // As long as the fixture's request limit allows (64 KiB); stdio takes 10 MB.
        var session = await server.OpenSession(_http, server.WriteToken);
        var (json, code) = ProtocolCases.HugeRequest(where, (int)HttpFixture.MaxRequestBytes - 1_000, 99);
        using var response = await _http.SendAsync(Post(Encoding.UTF8.GetBytes(json), session));
        var text = await response.Content.ReadAsStringAsync();
        text.Length.Should().BeLessThan(1_000, "the answer shows the first characters and the length, not the value");
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        var answer = JsonNode.Parse(text)!;
        answer["id"]!.GetValue<int>().Should().Be(99);
        answer["error"]!["code"]!.GetValue<int>().Should().Be(code);
        answer["error"]!["message"]!.GetValue<string>().Should().Contain("mmmm").And.Contain("characters");
        await ShouldStillServe(session);
    }

    [Fact]
    public async Task A_malformed_initialize_is_32602_not_a_500_and_no_trace_is_logged()
    {
        using var response = await _http.SendAsync(server.Post("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""", server.WriteToken));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        ProtocolCases.ShouldAnswer(JsonNode.Parse(text)!, ProtocolCases.Named("initialize_empty_params") with { Id = 1 });
        server.Server.Stderr.Should().NotContain(l => l.Contains("   at ", StringComparison.Ordinal), "no stack trace in the log");
    }
}
