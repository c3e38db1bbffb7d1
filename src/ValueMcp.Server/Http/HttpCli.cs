using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ValueMcp.Server.Cli;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Http;

/// <summary>The options `serve` takes for HTTP, and serving over HTTP once the database is open.</summary>
public sealed class HttpCli
{
    private readonly Option<bool> _http = new("--http") { Description = "Serve MCP over Streamable HTTP (endpoint /mcp, health /healthz) instead of stdio." };
    private readonly Option<string> _urls = new("--urls")
    {
        Description = $"Where to listen, ';'-separated. Default: {HttpServeOptions.DefaultUrl} (loopback only). Port 0 picks a free port.",
        HelpName = "URLS",
    };
    private readonly Option<string?> _tokens = new("--tokens")
    {
        Description = $"Bearer token file (lines NAME ROLE SHA256-HEX, written by `valuemcp token add`); given, it must hold a token. Default: ${TokenStore.FileVariable}, else the default tokens file that `valuemcp token add` writes ({TokenFile.DefaultName} in the user's data directory), when it exists. ${TokenStore.InlineVariable} may hold more lines, ';'-separated. Every request needs a token.",
        HelpName = "FILE",
    };
    private readonly Option<string?> _allowedHosts = new("--allowed-hosts")
    {
        Description = "Host names clients use to reach the server (comma-separated), besides those in --urls. Requests naming another Host get 421.",
        HelpName = "HOSTS",
    };
    private readonly Option<string?> _allowedOrigins = new("--allowed-origins")
    {
        Description = "Browser origins allowed besides pages on an allowed host (comma-separated, e.g. https://app.example.com). Others get 403.",
        HelpName = "ORIGINS",
    };
    private readonly Option<bool> _dangerous = new("--dangerously-allow-unauthenticated-remote")
    {
        Description = "Serve without bearer tokens, on loopback as on any other address: no authentication at all. Only behind something that authenticates every request.",
    };
    private readonly Option<string?> _authIssuer = new("--auth-issuer")
    {
        Description = "OAuth 2.1: accept JWT access tokens from this authorization server (its issuer URL; https, or http on loopback). Its signing keys come from its published metadata. Needs --auth-audience.",
        HelpName = "URL",
    };
    private readonly Option<string?> _authAudience = new("--auth-audience")
    {
        Description = "OAuth 2.1: this server's resource URI, which access tokens must name as their audience (e.g. https://mcp.example.com/mcp).",
        HelpName = "URI",
    };
    private readonly Option<string?> _authConfig = new("--auth-config")
    {
        Description = "OAuth 2.1 settings from a JSON file: {\"issuer\": URL, \"audience\": URI, \"metadata_address\": URL (optional)}. Instead of --auth-issuer and --auth-audience.",
        HelpName = "FILE",
    };
    private readonly Option<int> _rateLimit = new("--rate-limit")
    {
        Description = "Requests per minute per client (token name, else remote address); 0 turns it off.",
        DefaultValueFactory = _ => new HttpServeOptions().RateLimitPerMinute,
        HelpName = "N",
    };
    private readonly Option<int> _requestTimeout = new("--request-timeout")
    {
        Description = "Seconds a request may take before it is cut off (504).",
        DefaultValueFactory = _ => (int)new HttpServeOptions().RequestTimeout.TotalSeconds,
        HelpName = "SECONDS",
    };
    private readonly Option<int> _sessionTimeout = new("--session-timeout")
    {
        Description = "Seconds a session may stay idle before it is ended (its id then gets 404).",
        DefaultValueFactory = _ => (int)new HttpServeOptions().SessionIdleTimeout.TotalSeconds,
        HelpName = "SECONDS",
    };
    private readonly Option<long> _maxRequestBytes = new("--max-request-bytes")
    {
        Description = "Largest request body accepted (413 beyond).",
        DefaultValueFactory = _ => new HttpServeOptions().MaxRequestBytes,
        HelpName = "BYTES",
    };

    private Option[] HttpOnly => [_urls, _tokens, _authIssuer, _authAudience, _authConfig, _allowedHosts, _allowedOrigins, _dangerous, _rateLimit, _requestTimeout, _sessionTimeout, _maxRequestBytes];

    /// <summary>Adds the HTTP options to the serve command.</summary>
    public void AddTo(Command serve)
    {
        serve.Add(_http);
        foreach (var o in HttpOnly) serve.Add(o);
    }

    public bool Enabled(ParseResult parse) => parse.GetValue(_http);

    /// <summary>The HTTP-only options given without --http (an error), if any.</summary>
    public string? Misuse(ParseResult parse)
    {
        if (Enabled(parse)) return null;
        var given = HttpOnly.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        return given.Count == 0 ? null : $"{string.Join(", ", given)} only apply with --http";
    }

    /// <summary>
    /// Serves the open database over HTTP until stopped. Exit 0 stopped, 1 refused (an unsafe setup, tokens that cannot
    /// be used), 2 usage (a bad option, a port that cannot be listened on).
    /// </summary>
    public async Task<int> Run(ParseResult parse, ServeOptions serve, string dbPath, CancellationToken ct)
    {
        HttpServeOptions options;
        ServerTokens tokens;
        Binding binding;
        try
        {
            (options, tokens) = Options(parse);
            var extraHosts = Split(parse.GetValue(_allowedHosts));
            binding = Binding.Of(options.Urls, extraHosts);
            if (binding.Refusal(options, extraHosts.Count > 0, tokens.Sources) is { } refusal)
            {
                await Console.Error.WriteLineAsync($"valuemcp serve: {refusal}");
                return Commands.Refused;
            }
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"valuemcp serve: {e.Message}");
            return Commands.Usage;
        }
        catch (TokenConfigException e)
        {
            await Console.Error.WriteLineAsync($"valuemcp serve: the bearer tokens cannot be used: {e.Message}");
            return Commands.Refused;
        }
        catch (IOException e)
        {
            return CliErrors.Report("valuemcp serve", e); // the user's data directory, where the default tokens file lives
        }

        await using var app = HttpHost.Build(serve, options, binding);
        try
        {
            await app.StartAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A port in use or not ours to take, an https:// URL without a certificate: Kestrel's message says which.
            await Console.Error.WriteLineAsync($"valuemcp serve: cannot listen on {string.Join(", ", options.Urls)}: {e.Message}");
            return Commands.Usage;
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var (authLine, auth) = Authentication(options, tokens, _dangerous.Name);
        await Console.Error.WriteLineAsync(authLine);
        foreach (var address in addresses)
            await Console.Error.WriteLineAsync($"valuemcp {Hosting.Version}: serving {dbPath} over HTTP at {address}{HttpServeOptions.EndpointPath} ({auth})");
        await app.WaitForShutdownAsync(ct);
        return Commands.Ok;
    }

    /// <summary>
    /// What authentication is in force, as the start line says it (OAuth's issuer and audience, the static tokens and
    /// where they came from, or NO AUTHENTICATION), and in short for the serving lines.
    /// </summary>
    public static (string Line, string Short) Authentication(HttpServeOptions options, ServerTokens tokens, string dangerousFlag)
    {
        if (!options.RequiresAuthentication)
            return ($"valuemcp: NO AUTHENTICATION ({dangerousFlag}): {tokens.Sources}; anyone who can reach the server can read and change the data",
                    $"NO AUTHENTICATION ({dangerousFlag})");
        var count = options.Tokens.Entries.Count;
        if (options.OAuth is not { } oauth)
            return ($"valuemcp: bearer tokens: {tokens.Sources}", $"{count} bearer token(s)");
        var line = $"valuemcp: authentication: OAuth access tokens from {oauth.IssuerText} for the resource {oauth.Audience} " +
                   $"(scopes {OAuthOptions.ReadScope}, {OAuthOptions.WriteScope}; metadata at {OAuth.MetadataPath})";
        return count == 0
            ? (line + "; no static bearer tokens", "OAuth only")
            : (line + $"; and static bearer tokens: {tokens.Sources}", $"OAuth and {count} bearer token(s)");
    }

    private (HttpServeOptions, ServerTokens) Options(ParseResult parse)
    {
        var urls = Split(parse.GetValue(_urls) ?? HttpServeOptions.DefaultUrl, ';');
        if (urls.Count == 0) urls = [HttpServeOptions.DefaultUrl];
        var positive = new (string Name, long Value)[]
        {
            ("--request-timeout", parse.GetValue(_requestTimeout)),
            ("--session-timeout", parse.GetValue(_sessionTimeout)),
            ("--max-request-bytes", parse.GetValue(_maxRequestBytes)),
        };
        foreach (var (name, value) in positive)
            if (value <= 0) throw new ArgumentException($"{name} must be positive");
        if (parse.GetValue(_rateLimit) < 0) throw new ArgumentException("--rate-limit must be 0 (off) or positive");
        var oauth = OAuthFrom(parse);
        var tokens = oauth is not null && parse.GetValue(_tokens) is null && Environment.GetEnvironmentVariable(TokenStore.FileVariable) is null
                     && Environment.GetEnvironmentVariable(TokenStore.InlineVariable) is null && !File.Exists(TokenFile.Locate(null, _tokens.Name).Path)
            ? new ServerTokens(TokenStore.Empty, "no static tokens")
            : TokenStore.ForServer(TokenFile.Locate(parse.GetValue(_tokens), _tokens.Name), Environment.GetEnvironmentVariable(TokenStore.InlineVariable));
        return (new HttpServeOptions
        {
            Urls = urls,
            Tokens = tokens.Tokens,
            OAuth = oauth,
            AllowedHosts = Split(parse.GetValue(_allowedHosts)),
            AllowedOrigins = Split(parse.GetValue(_allowedOrigins)),
            DangerouslyAllowUnauthenticatedRemote = parse.GetValue(_dangerous),
            RateLimitPerMinute = parse.GetValue(_rateLimit),
            RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(_requestTimeout)),
            SessionIdleTimeout = TimeSpan.FromSeconds(parse.GetValue(_sessionTimeout)),
            MaxRequestBytes = parse.GetValue(_maxRequestBytes),
        }, tokens);
    }

    /// <summary>The OAuth settings from --auth-config, or --auth-issuer with --auth-audience; null when none is given.</summary>
    private OAuthOptions? OAuthFrom(ParseResult parse)
    {
        var config = parse.GetValue(_authConfig);
        var issuer = parse.GetValue(_authIssuer);
        var audience = parse.GetValue(_authAudience);
        if (config is not null)
        {
            if (issuer is not null || audience is not null)
                throw new ArgumentException("--auth-config holds the issuer and the audience: give either it or --auth-issuer and --auth-audience");
            return OAuthOptions.FromFile(config);
        }
        return issuer is null && audience is null ? null : OAuthOptions.Of(issuer, audience);
    }

    private static List<string> Split(string? value, char separator = ',') =>
        value is null ? [] : value.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
