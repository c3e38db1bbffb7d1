using System.Text;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ValueMcp.Server.Protocol;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The JSON-RPC gate in process, without a transport: the malformed messages of ProtocolCases get the same answers as
/// over stdio and HTTP, and well-formed messages (what real clients send) pass through untouched.
/// </summary>
public sealed class JsonRpcGateTests
{
    [Theory]
    [MemberData(nameof(ProtocolCases.Names), MemberType = typeof(ProtocolCases))]
    public void Each_malformed_message_gets_its_answer_or_is_dropped(string name)
    {
        var c = ProtocolCases.Named(name);
        var verdict = JsonRpcGate.Check(c.Bytes);
        if (c.Code is null)
        {
            verdict.Outcome.Should().Be(GateOutcome.Drop, name);
            verdict.Message.Should().Contain(c.MessageHas[0]);
            JsonNode.Parse(verdict.Answer())!["id"].Should().BeNull("an HTTP 400 for a dropped message carries no id");
        }
        else
        {
            verdict.Outcome.Should().Be(GateOutcome.Answer, $"{name}: {verdict.Message}");
            ProtocolCases.ShouldAnswer(JsonNode.Parse(verdict.Answer())!, c);
        }
        verdict.IsAboutMessage.Should().Be(c.IsMessageLevel, name);
    }

    [Theory]
    [MemberData(nameof(ProtocolCases.Huge), MemberType = typeof(ProtocolCases))]
    public void A_10_mb_value_gets_an_answer_of_a_few_hundred_bytes(string where)
    {
        var (json, code) = ProtocolCases.HugeRequest(where, 10 * 1024 * 1024, 3);
        var verdict = JsonRpcGate.Check(Encoding.UTF8.GetBytes(json));
        verdict.Code.Should().Be(code);
        verdict.Answer().Length.Should().BeLessThan(600);
        verdict.Message.Should().Contain("10,485,7").And.Contain("characters");
    }

    [Fact]
    public void A_string_id_longer_than_the_limit_is_refused_rather_than_echoed()
    {
        var id = new string('i', JsonRpcGate.MaxIdLength + 1);
        var verdict = JsonRpcGate.Check(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"ping\"}}"));
        verdict.Code.Should().Be(JsonRpcCodes.InvalidRequest);
        JsonNode.Parse(verdict.Answer())!["id"].Should().BeNull();
        verdict.Message.Should().Contain($"at most {JsonRpcGate.MaxIdLength}");
        JsonRpcGate.Check(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":\"{id[1..]}\",\"method\":\"ping\"}}")).Outcome.Should().Be(GateOutcome.Forward);
    }

    public static IEnumerable<object[]> WellFormed =>
    [
        ["""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"roots":{"listChanged":true},"sampling":{},"elicitation":{}},"clientInfo":{"name":"c","version":"1","title":"C"}}}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","method":"notifications/initialized"}""", MessageKind.Notification],
        ["""{"jsonrpc":"2.0","method":"notifications/initialized","params":{}}""", MessageKind.Notification],
        ["""{"jsonrpc":"2.0","id":0,"method":"ping"}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":-9223372036854775808,"method":"ping","params":null}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":9223372036854775807,"method":"ping","params":{"_meta":{"progressToken":"p"}}}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":"","method":"tools/list","params":{"cursor":"abc"}}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":"a-1","method":"tools/call","params":{"name":"list_accounts","arguments":{"segment":"Enterprise","limit":5,"nested":{"x":[1,"two",null]}},"_meta":{"progressToken":7}}}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_portfolio_health","arguments":null}}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"x","arguments":{"note":"d\u00e9j\u00e0 vu \ud83d\ude00 \u0000"}}}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":4,"method":"prompts/get","params":{"name":"board_prep_summary","arguments":{"as_of":"2026-11-24","period":null}}}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":5,"method":"resources/read","params":{"uri":"value://glossary"}}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":6,"method":"logging/setLevel","params":{"level":"warning"}}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":7,"method":"resources/templates/list"}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":8,"method":"some/future_method","params":{"anything":[1,2,3]}}""", MessageKind.Request],
        ["""{"jsonrpc":"2.0","id":9,"result":{}}""", MessageKind.Response],
        ["""{"jsonrpc":"2.0","id":"s1","error":{"code":-1,"message":"declined","data":{"why":"user"}}}""", MessageKind.Response],
        ["  {\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"ping\"}\t", MessageKind.Request],
    ];

    [Theory]
    [MemberData(nameof(WellFormed))]
    public void A_well_formed_message_passes_through(string json, MessageKind kind)
    {
        var verdict = JsonRpcGate.Check(Encoding.UTF8.GetBytes(json));
        verdict.Outcome.Should().Be(GateOutcome.Forward, verdict.Message);
        verdict.Kind.Should().Be(kind);
        verdict.Parsed.Should().NotBeNull("what passes is what the SDK reads");
        if (kind != MessageKind.Notification) verdict.Id.Should().NotBeNull();
    }

    [Fact]
    public void A_cancellation_names_the_request_it_cancels_so_that_stdio_owes_it_no_answer()
    {
        var verdict = JsonRpcGate.Check("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"r-9","reason":"user"}}"""u8.ToArray());
        verdict.Outcome.Should().Be(GateOutcome.Forward);
        verdict.Cancels.Should().Be(new RequestId("r-9"));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","params":{"a":"\ud800"},"id":"\udc00","method":"ping"}""", "null", "id")]
    [InlineData("""{"jsonrpc":"2.0","params":{"a":"\ud800"},"id":4,"method":"pi\ud800"}""", "4", "method")]
    [InlineData("""{"params":{"a":"\ud800"},"id":5,"method":"ping","jsonrpc":"2.\ud800"}""", "5", "jsonrpc")]
    [InlineData("""{"jsonrpc":"2.0","params":{"a":"\ud800"},"id":6,"method":"ping","\ud800":1}""", "null", "member name")]
    public void The_envelope_is_checked_before_params_whatever_the_order_of_members(string json, string id, string named)
    {
        var verdict = JsonRpcGate.Check(Encoding.UTF8.GetBytes(json));
        verdict.Code.Should().Be(JsonRpcCodes.InvalidRequest, verdict.Message);
        (JsonNode.Parse(verdict.Answer())!["id"]?.ToJsonString() ?? "null").Should().Be(id);
        verdict.Message.Should().Contain(named);
    }

    [Fact]
    public void Mangled_messages_never_make_the_gate_throw_and_its_answers_stay_small()
    {
        // Seeded, so that a failure reproduces: bytes of well-formed messages replaced, dropped, duplicated, truncated.
        var random = new Random(18);
        var seeds = WellFormed.Select(w => Encoding.UTF8.GetBytes((string)w[0])).ToList();
        byte[] alphabet = [.. "{}[]\",:0123456789.e-+ \"u\\d800tfnl"u8, 0xC3, 0x28, 0xEF, 0xBB, 0xBF, 0x00, 0xFF];
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = seeds[random.Next(seeds.Count)].ToList();
            for (var edits = random.Next(1, 6); edits > 0 && bytes.Count > 0; edits--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: bytes.RemoveAt(at); break;
                    case 2: bytes.InsertRange(at, bytes.Skip(at).Take(random.Next(1, 12)).ToList()); break;
                    default: bytes.RemoveRange(at, bytes.Count - at); break;
                }
            }
            var input = bytes.ToArray();
            GateVerdict verdict = null!;
            var act = () => verdict = JsonRpcGate.Check(input);
            act.Should().NotThrow($"input {i}: {Encoding.UTF8.GetString(input)}");
            if (verdict.Outcome != GateOutcome.Forward) verdict.Answer().Length.Should().BeLessThan(1_000, Encoding.UTF8.GetString(input));
            else verdict.Parsed.Should().NotBeNull();
        }
    }
}
