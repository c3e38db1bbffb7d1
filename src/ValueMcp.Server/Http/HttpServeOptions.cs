using System.Net;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Http;

/// <summary>How `serve --http` listens and what it lets through. The defaults are the safe ones.</summary>
public sealed record HttpServeOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5057";
    public const string EndpointPath = "/mcp";
    public const string HealthPath = "/healthz";
    /// <summary>The portfolio view's page (static HTML; its data comes from /mcp, under the same authentication).</summary>
    public const string AppPath = "/";

    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];
    public TokenStore Tokens { get; init; } = TokenStore.Empty;
    /// <summary>OAuth 2.1 access tokens from this authorization server are accepted too (null: static tokens only).</summary>
    public OAuthOptions? OAuth { get; init; }
    /// <summary>Every request to /mcp needs a bearer token: static tokens or OAuth are configured.</summary>
    public bool RequiresAuthentication => !Tokens.IsEmpty || OAuth is not null;
    /// <summary>Host names clients use to reach the server, besides the ones in the URLs (Host header check).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    /// <summary>Browser origins allowed besides those on an allowed host (Origin header check), e.g. https://app.example.com.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];
    public bool DangerouslyAllowUnauthenticatedRemote { get; init; }
    /// <summary>Requests per minute per client (the token's name, else the remote address); 0 turns the limit off.</summary>
    public int RateLimitPerMinute { get; init; } = 600;
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);
    public long MaxRequestBytes { get; init; } = 1024 * 1024;
    /// <summary>Idle sessions (initialize clients) kept at most; beyond it the SDK ends the oldest idle ones.</summary>
    public int MaxSessions { get; init; } = 1000;
}

/// <summary>What the URLs bind to: loopback only or not, and the host names a request may carry.</summary>
public sealed record Binding(bool LoopbackOnly, bool Wildcard, IReadOnlySet<string> HostNames)
{
    public static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]", "::1"];

    /// <summary>Reads the URLs; throws ArgumentException for one that is not http(s)://HOST:PORT.</summary>
    public static Binding Of(IEnumerable<string> urls, IEnumerable<string> extraHosts)
    {
        var loopbackOnly = true;
        var wildcard = false;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var url in urls)
        {
            // Kestrel accepts * and + for "every address"; Uri does not.
            var parsable = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(parsable, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
                throw new ArgumentException($"--urls: \"{url}\" is not http://HOST:PORT or https://HOST:PORT");
            var host = uri.Host;
            if (IsLoopback(host))
            {
                foreach (var n in LoopbackNames) names.Add(n);
                continue;
            }
            loopbackOnly = false;
            if (host is "0.0.0.0" or "[::]" or "::") wildcard = true;
            else names.Add(host);
        }
        foreach (var h in extraHosts) names.Add(h.Trim());
        return new Binding(loopbackOnly, wildcard, names);
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Why these options must not start, or null when they may. tokenSources says where tokens were looked for.</summary>
    public string? Refusal(HttpServeOptions options, bool extraHostsGiven, string tokenSources)
    {
        // No silent open server: without a token, only the flag whose name says it is dangerous serves, even on loopback.
        if (!options.RequiresAuthentication && !options.DangerouslyAllowUnauthenticatedRemote)
            return (LoopbackOnly
                       ? "refusing to serve HTTP without bearer tokens: any program or user on this machine could read and change the revenue data"
                       : "refusing to serve a non-loopback address without bearer tokens: anyone who can reach it could read and change the revenue data") +
                   $" ({tokenSources}). Add a token with `valuemcp token add NAME --role read|write` (it writes the default tokens file, " +
                   "which serve --http reads) and start the server again, or, only if something in front of this server authenticates " +
                   "every request, pass --dangerously-allow-unauthenticated-remote.";
        if (Wildcard && !extraHostsGiven)
            return "binding to every address needs --allowed-hosts with the host names clients use (e.g. mcp.example.com): " +
                   "requests naming any other host are refused (DNS rebinding protection).";
        return null;
    }
}
