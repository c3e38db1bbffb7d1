using System.Reflection;

namespace ValueMcp.Server.Ui;

/// <summary>
/// The portfolio view: one self-contained HTML file (built from web/ by scripts/build-app.sh and embedded here), shown
/// by MCP Apps hosts inside the chat (as the ui:// resource the portfolio tools point to) and by `serve --http` at /.
/// </summary>
public static class PortfolioApp
{
    /// <summary>The app's resource URI; get_portfolio_health and list_accounts name it in _meta.</summary>
    public const string Uri = "ui://valuemcp/portfolio.html";

    /// <summary>The MIME type MCP Apps hosts look for (the io.modelcontextprotocol/ui extension).</summary>
    public const string MimeType = "text/html;profile=mcp-app";

    /// <summary>The tool _meta value under "ui" (the current key; the flat "ui/resourceUri" key carries the same URI).</summary>
    public const string ToolMetaJson = "{\"resourceUri\":\"" + Uri + "\"}";

    /// <summary>The older flat tool _meta key that some clients still read.</summary>
    public const string LegacyMetaKey = "ui/resourceUri";

    private const string ResourceName = "ValueMcp.Server.Ui.portfolio.html";

    private static readonly Lazy<string> Content = new(Load);

    /// <summary>The built page. Throws when the build did not embed it (web/ was never built).</summary>
    public static string Html => Content.Value;

    private static string Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("the portfolio view is not embedded in this build; run scripts/build-app.sh and rebuild");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
