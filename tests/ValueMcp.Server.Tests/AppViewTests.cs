using System.Net;
using ModelContextProtocol.Protocol;
using ValueMcp.Server.Ui;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The portfolio view's MCP wiring over stdio: the ui:// resource (listed, readable, the MCP Apps MIME type, the
/// embedded page) and the tool _meta that points hosts to it. The browser tests (tests/browser) check what it shows.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AppViewTests(ServerFixture server)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task The_view_is_a_listed_resource_with_the_mcp_app_mime_type()
    {
        var resources = await server.Client.ListResourcesAsync(cancellationToken: Timeout);
        resources.Should().ContainSingle(r => r.Uri == "ui://valuemcp/portfolio.html")
            .Which.MimeType.Should().Be("text/html;profile=mcp-app");
    }

    [Fact]
    public async Task Reading_the_resource_gives_the_embedded_self_contained_page()
    {
        var result = await server.Client.ReadResourceAsync(PortfolioApp.Uri, cancellationToken: Timeout);
        var page = result.Contents.OfType<TextResourceContents>().Should().ContainSingle().Subject;
        page.MimeType.Should().Be(PortfolioApp.MimeType);
        page.Uri.Should().Be(PortfolioApp.Uri);
        page.Text.Should().Be(PortfolioApp.Html);
        page.Text.TrimStart().Should().StartWithEquivalentOf("<!doctype html>");
        foreach (var external in new[] { "PLACEHOLDER", "<script src=", "<link rel=\"stylesheet\"", "@import url(" })
            page.Text.Should().NotContain(external, "the page is one self-contained file: it loads nothing from the network");
    }

    [Theory]
    [InlineData("get_portfolio_health")]
    [InlineData("list_accounts")]
    [InlineData("retention_metrics")]
    [InlineData("renewal_forecast")]
    public async Task The_portfolio_tools_point_hosts_to_the_view_under_both_meta_keys(string name)
    {
        var tools = await server.Client.ListToolsAsync(cancellationToken: Timeout);
        var meta = tools.Single(t => t.Name == name).ProtocolTool.Meta;
        meta.Should().NotBeNull();
        meta!["ui"]!["resourceUri"]!.GetValue<string>().Should().Be(PortfolioApp.Uri);
        meta["ui/resourceUri"]!.GetValue<string>().Should().Be(PortfolioApp.Uri);
    }

    [Fact]
    public async Task Only_the_portfolio_and_chart_tools_carry_the_view()
    {
        // retention_metrics opens the ARR bridge or the cohort heat map, renewal_forecast the range bar.
        var tools = await server.Client.ListToolsAsync(cancellationToken: Timeout);
        tools.Where(t => t.ProtocolTool.Meta?["ui"] is not null).Select(t => t.Name).Should()
            .BeEquivalentTo("get_portfolio_health", "list_accounts", "retention_metrics", "renewal_forecast");
    }

    /// <summary>The budget: the page stays one self-contained file under 300 KB (it was 463 KB with the SDK).</summary>
    [Fact]
    public void The_page_stays_under_300_KB()
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(PortfolioApp.Html);
        bytes.Should().BeLessThan(300 * 1024, "the page is embedded in every MCP App resource read and must stay small");
        PortfolioApp.Html.Should().Contain("data-chart=\"bridge\"").And.Contain("data-chart=\"cohorts\"").And.Contain("data-chart=\"range\"");
    }
}

/// <summary>The same page in a browser: `serve --http` serves it at / without a token, and nothing else without one.</summary>
[Collection(HttpCollection.Name)]
public sealed class AppPageHttpTests(HttpFixture server) : IDisposable
{
    [Fact]
    public void Script_hashes_are_taken_of_inline_scripts_only()
    {
        var html = "<script>a()</script><script src=\"x.js\"></script><SCRIPT type=\"module\">\nb()\n</SCRIPT>";
        PortfolioApp.ScriptHashes(html).Should().Equal(
            "'sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("a()"u8)) + "'",
            "'sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("\nb()\n"u8)) + "'");
    }

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose() => _http.Dispose();

    private Uri Page => new(server.Endpoint, "/");

    [Fact]
    public async Task The_page_is_served_at_the_root_without_a_token_with_a_strict_policy()
    {
        using var response = await _http.GetAsync(Page);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Be(PortfolioApp.Html);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("default-src 'none'").And.Contain("connect-src 'self'").And.Contain("frame-ancestors 'none'");
        var scriptSrc = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        scriptSrc.Should().NotContain("unsafe", "only the page's own scripts may run, by their hashes");
        var hashes = PortfolioApp.ScriptHashes(PortfolioApp.Html);
        hashes.Should().NotBeEmpty();
        scriptSrc.Split(' ').Skip(1).Should().BeEquivalentTo(hashes);
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    [Fact]
    public async Task The_data_still_needs_a_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_portfolio_health","arguments":{}}}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("Origin", new Uri(server.Endpoint, "/").GetLeftPart(UriPartial.Authority));
        using var response = await _http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the page's own origin gets no data without a token");
        (await response.Content.ReadAsStringAsync()).Should().NotContain("arr_managed");
    }

    [Fact]
    public async Task The_page_is_refused_for_a_foreign_host_or_origin_and_other_paths_need_a_token()
    {
        using (var request = new HttpRequestMessage(HttpMethod.Get, Page))
        {
            request.Headers.Host = "evil.example";
            using var response = await _http.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.MisdirectedRequest);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, Page))
        {
            request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
            using var response = await _http.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }
        using (var response = await _http.GetAsync(new Uri(server.Endpoint, "/index.html")))
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "only the page itself is public");
    }
}
