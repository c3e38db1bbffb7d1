using static ValueMcp.Server.Tests.J;

namespace ValueMcp.Server.Tests;

/// <summary>
/// serve --read-only: the tools whose own annotation is not readOnlyHint: true are neither listed nor callable (a call
/// answers isError and writes nothing), and every read tool still answers.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ReadOnlyModeTests(ServerFixture shared, ReadOnlyModeTests.Server fixture) : IClassFixture<ReadOnlyModeTests.Server>
{
    private readonly OwnServer _server = fixture.Own;

    public sealed class Server : IAsyncLifetime
    {
        public OwnServer Own { get; private set; } = null!;
        public async Task InitializeAsync() => Own = await OwnServer.Start("read-only", ["--read-only", "--import-root", Path.GetTempPath()]);
        public async Task DisposeAsync() => await Own.DisposeAsync();
    }

    public static readonly string[] WriteTools = ["record_evidence", "add_promised_outcome", "log_signal", "set_override", "import_facts"];

    [Fact]
    public async Task Tools_are_listed_exactly_when_their_annotation_says_read_only()
    {
        var all = await shared.Client.ListToolsAsync();
        var listed = (await _server.Client.ListToolsAsync()).Select(t => t.Name).ToList();

        all.Select(t => t.Name).Should().Contain(WriteTools, "a server that is not read-only lists the write tools");
        listed.Should().NotContain(WriteTools);
        listed.Should().BeEquivalentTo(all.Where(t => t.ProtocolTool.Annotations?.ReadOnlyHint == true).Select(t => t.Name),
            "read-only mode keeps exactly the tools annotated readOnlyHint: true");
        listed.Should().Contain(SchemaSnapshotTests.ReadTools).And.Contain("get_audit_log");
    }

    [Theory]
    [InlineData("record_evidence", """{"outcome_id":"OUT-00001","achieved":true}""")]
    [InlineData("add_promised_outcome", """{"account_id":"ACC-0001","title":"Grow"}""")]
    [InlineData("log_signal", """{"account_id":"ACC-0001","category":"usage","polarity":1}""")]
    [InlineData("set_override", """{"account_id":"ACC-0001","field":"band","value":"on_track","reason":"x"}""")]
    [InlineData("import_facts", """{"folder":"."}""")]
    [InlineData("record_evidence", """{"outcome_id":"nope","bogus":1}""")]
    public async Task A_write_tool_called_anyway_answers_an_error_and_writes_nothing(string tool, string argsJson)
    {
        var before = _server.Fingerprint();
        var result = await _server.Call(tool, argsJson);
        var text = ServerFixture.Text(result);
        (result.IsError ?? false).Should().BeTrue($"{tool} must be refused in read-only mode; it answered: {text}");
        text.Should().Contain(tool).And.Contain("not available").And.Contain("read-only");
        _server.Fingerprint().Should().Be(before);
    }

    [Fact]
    public async Task Read_tools_and_the_audit_log_still_answer()
    {
        var health = await _server.Ok("get_portfolio_health", Args(("as_of", ServerFixture.AsOfText)));
        health.Obj("kpis").Int("account_count").Should().BePositive();
        var log = await _server.Ok("get_audit_log", Args());
        log.Objects("entries").Should().Contain(e => e.Str("operation") == "import");
    }
}
