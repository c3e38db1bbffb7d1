using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ValueMcp.Server.Ui;

/// <summary>
/// The portfolio view: one self-contained HTML file (built from web/ by scripts/build-app.sh and embedded here), shown
/// by MCP Apps hosts inside the chat (as the ui:// resource the portfolio tools point to) and by `serve --http` at /.
/// </summary>
public static partial class PortfolioApp
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
    private static readonly Lazy<string> Policy = new(() => ContentSecurityPolicy(Html));

    /// <summary>The built page. Throws when the build did not embed it (web/ was never built).</summary>
    public static string Html => Content.Value;

    /// <summary>
    /// The Content-Security-Policy the page is served with at /: only its own inline scripts run (by their SHA-256, so
    /// an injected script or inline handler would not), it talks to this server only, loads nothing, and other sites
    /// cannot frame it. Styles stay inline-able: the page sets element styles, and a style cannot run code.
    /// </summary>
    public static string PagePolicy => Policy.Value;

    /// <summary>The 'sha256-...' source of each inline script of the page (a script with a src attribute has none).</summary>
    public static IReadOnlyList<string> ScriptHashes(string html) =>
        [.. InlineScript().Matches(html).Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["body"].Value)))}'")];

    private static string ContentSecurityPolicy(string html) =>
        $"default-src 'none'; script-src {string.Join(' ', ScriptHashes(html))}; style-src 'unsafe-inline'; img-src data:; " +
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    private static string Load() => EmbeddedText.Read(ResourceName)
        ?? throw new InvalidOperationException("the portfolio view is not embedded in this build; run scripts/build-app.sh and rebuild");
}
