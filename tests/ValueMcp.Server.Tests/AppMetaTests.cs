using ModelContextProtocol.Protocol;
using ValueMcp.Server.Ui;

namespace ValueMcp.Server.Tests;

/// <summary>
/// MCP Apps in hosts that render apps unreliably: the tool's ui _meta (ui.resourceUri and the flat "ui/resourceUri")
/// is on every tools/call result of the portfolio tools as on the tool itself, not on other tools' results, and
/// resources/read of the app carries _meta.ui.csp.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AppMetaTests(ServerFixture server)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Theory]
    [InlineData("get_portfolio_health")]
    [InlineData("list_accounts")]
    public async Task A_portfolio_tool_result_carries_the_same_ui_meta_as_the_tool(string name)
    {
        var tool = (await server.Client.ListToolsAsync(cancellationToken: Timeout)).Single(t => t.Name == name).ProtocolTool;
        var result = await server.Client.CallToolAsync(name, new Dictionary<string, object?> { ["as_of"] = ServerFixture.AsOfText }, cancellationToken: Timeout);
        (result.IsError ?? false).Should().BeFalse();
        result.Meta.Should().NotBeNull();
        result.Meta!["ui"]!["resourceUri"]!.GetValue<string>().Should().Be(PortfolioApp.Uri);
        result.Meta["ui/resourceUri"]!.GetValue<string>().Should().Be(PortfolioApp.Uri);
        result.Meta["ui"]!.ToJsonString().Should().Be(tool.Meta!["ui"]!.ToJsonString(), "the result repeats the tool's own ui _meta");
    }

    [Fact]
    public async Task Other_tools_results_carry_no_ui_meta()
    {
        var result = await server.Client.CallToolAsync("list_renewal_risks", new Dictionary<string, object?> { ["as_of"] = ServerFixture.AsOfText }, cancellationToken: Timeout);
        (result.Meta?.ContainsKey("ui") ?? false).Should().BeFalse();
        (result.Meta?.ContainsKey("ui/resourceUri") ?? false).Should().BeFalse();
    }

    [Fact]
    public async Task Reading_the_app_resource_returns_its_csp()
    {
        var result = await server.Client.ReadResourceAsync(PortfolioApp.Uri, cancellationToken: Timeout);
        var page = result.Contents.Single();
        var csp = page.Meta!["ui"]!["csp"]!;
        csp["connectDomains"]!.AsArray().Should().BeEmpty("the page talks to its host by postMessage only");
        csp["resourceDomains"]!.AsArray().Should().BeEmpty("the page is self-contained");
    }
}
