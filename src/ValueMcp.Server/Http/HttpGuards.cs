using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Http;

/// <summary>
/// The checks every request to the MCP endpoint passes before MCP sees it, in this order: the Host header names a
/// configured host (DNS rebinding: 421), a browser Origin, when there is one, is allowed (403), no token rides in the
/// URL (400), and the bearer token identifies a caller (401 with WWW-Authenticate when tokens are configured).
/// Identification runs before the rate limiter, which counts per caller; rejection runs after it, so that guessing
/// tokens is rate limited too. Tokens and Authorization headers are never logged.
/// </summary>
public sealed class HttpGuards(HttpServeOptions options, Binding binding, ILogger<HttpGuards> logger)
{
    public const string Realm = "valuemcp";
    private const string AuthProblemKey = "valuemcp.auth-problem";

    private readonly HashSet<string> _origins = new(options.AllowedOrigins.Select(NormalizeOrigin).OfType<string>(), StringComparer.Ordinal);

    public static bool IsGuarded(HttpContext context) =>
        !context.Request.Path.Equals(HttpServeOptions.HealthPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>The protected resource metadata (RFC 9728): public, read by clients before they have a token, from any origin.</summary>
    public static bool IsResourceMetadata(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) &&
        (context.Request.Path.Equals(OAuth.MetadataPath, StringComparison.Ordinal) || context.Request.Path.Equals(OAuth.MetadataPathForEndpoint, StringComparison.Ordinal));

    /// <summary>
    /// The portfolio view's page needs no token: a browser cannot send one when it navigates, and the page is static
    /// HTML holding no data; it asks for a token and sends it on every /mcp request. Host and Origin are still checked.
    /// </summary>
    public static bool IsAppPage(HttpContext context) =>
        context.Request.Path.Equals(HttpServeOptions.AppPath, StringComparison.Ordinal) && HttpMethods.IsGet(context.Request.Method);

    /// <summary>Host, Origin and URL checks; then who the caller is (when a valid token is presented).</summary>
    public async Task CheckAndIdentify(HttpContext context, RequestDelegate next)
    {
        if (!IsGuarded(context))
        {
            await next(context);
            return;
        }
        var request = context.Request;
        var host = request.Host.Host;
        if (string.IsNullOrEmpty(host) || !binding.HostNames.Contains(host))
        {
            logger.LogDebug("421 for {Remote}: Host {Host} is not served here", context.Connection.RemoteIpAddress, Clean(host));
            await JsonRpcErrors.Write(context, StatusCodes.Status421MisdirectedRequest, JsonRpcErrors.Refused,
                "Misdirected Request: this server does not answer for that Host (DNS rebinding protection). The operator lists host names with --allowed-hosts.");
            return;
        }
        if (request.Headers.Origin is { Count: > 0 } origin && !IsResourceMetadata(context) && !OriginAllowed(origin.ToString()))
        {
            logger.LogDebug("403 for {Remote}: Origin {Origin} is not allowed", context.Connection.RemoteIpAddress, Clean(origin.ToString()));
            await JsonRpcErrors.Write(context, StatusCodes.Status403Forbidden, JsonRpcErrors.Refused,
                "Forbidden: requests from this Origin are not allowed. The operator lists browser origins with --allowed-origins.");
            return;
        }
        if (request.Query.Keys.Any(k => k.Contains("token", StringComparison.OrdinalIgnoreCase)))
        {
            await JsonRpcErrors.Write(context, StatusCodes.Status400BadRequest, JsonRpcErrors.Refused,
                "Bad Request: tokens are never accepted in URLs (they end up in logs and histories); send Authorization: Bearer TOKEN.");
            return;
        }
        if (options.RequiresAuthentication)
        {
            var authorization = request.Headers.Authorization.ToString();
            if (authorization.Length == 0)
                context.Items[AuthProblemKey] = "missing";
            else if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                context.Items[AuthProblemKey] = "invalid";
            else
            {
                var presented = authorization["Bearer ".Length..].Trim();
                if (options.OAuth is not null && !OAuth.IsStaticToken(presented))
                {
                    var (user, problem) = await OAuth.Authenticate(context);
                    if (user is not null) context.User = user;
                    else context.Items[AuthProblemKey] = "invalid: " + problem;
                }
                else if (options.Tokens.Verify(presented) is { } caller)
                    context.User = caller.ToPrincipal();
                else
                    context.Items[AuthProblemKey] = "invalid";
            }
        }
        await next(context);
    }

    /// <summary>
    /// After the rate limiter: with tokens or OAuth configured, a request without a valid token goes no further (401),
    /// and neither does an access token that carries none of this server's scopes (403 insufficient_scope).
    /// </summary>
    public async Task RequireToken(HttpContext context, RequestDelegate next)
    {
        if (!IsGuarded(context) || IsAppPage(context) || IsResourceMetadata(context) || !options.RequiresAuthentication)
        {
            await next(context);
            return;
        }
        if (context.User.Identity?.IsAuthenticated == true)
        {
            if (OAuth.HasNoScope(context.User))
            {
                logger.LogInformation("403 for {Remote}: an access token without a valuemcp scope", context.Connection.RemoteIpAddress);
                await InsufficientScope(context, OAuthOptions.ReadScope,
                    $"Forbidden: the access token carries neither {OAuthOptions.ReadScope} nor {OAuthOptions.WriteScope}.");
                return;
            }
            await next(context);
            return;
        }
        var problem = context.Items[AuthProblemKey] as string ?? "missing";
        var invalid = problem.StartsWith("invalid", StringComparison.Ordinal);
        var why = problem.StartsWith("invalid: ", StringComparison.Ordinal) ? problem["invalid: ".Length..] : null;
        logger.LogInformation("401 for {Remote}: {Problem} bearer token", context.Connection.RemoteIpAddress, problem);
        var metadata = options.OAuth is null ? "" : $", resource_metadata=\"{OAuth.MetadataUrl(context)}\"";
        context.Response.Headers[HeaderNames.WWWAuthenticate] = invalid
            ? $"Bearer realm=\"{Realm}\"{metadata}, error=\"invalid_token\", error_description=\"{why ?? "The token is unknown or revoked"}\""
            : $"Bearer realm=\"{Realm}\"{metadata}";
        await JsonRpcErrors.Write(context, StatusCodes.Status401Unauthorized, JsonRpcErrors.Refused,
            invalid ? $"Unauthorized: the bearer token is not valid{(why is null ? "" : ": " + why)}."
            : options.OAuth is null ? "Unauthorized: send Authorization: Bearer TOKEN (the operator issues tokens with valuemcp token add)."
            : $"Unauthorized: send Authorization: Bearer TOKEN, an access token from {options.OAuth.IssuerText} (see {OAuth.MetadataUrl(context)}) or a token the operator issued.");
    }

    /// <summary>403 with the challenge that tells an OAuth client which scope to ask for (step-up authorization).</summary>
    public async Task InsufficientScope(HttpContext context, string scope, string message)
    {
        var metadata = options.OAuth is null ? "" : $", resource_metadata=\"{OAuth.MetadataUrl(context)}\"";
        context.Response.Headers[HeaderNames.WWWAuthenticate] =
            $"Bearer realm=\"{Realm}\"{metadata}, error=\"insufficient_scope\", scope=\"{scope}\", error_description=\"{message}\"";
        await JsonRpcErrors.Write(context, StatusCodes.Status403Forbidden, JsonRpcErrors.Refused, message);
    }

    /// <summary>The partition of the per-client rate limit: the caller's token name, else the remote address.</summary>
    public static string ClientKey(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? "token:" + name
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private bool OriginAllowed(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false; // includes "null"
        return binding.HostNames.Contains(uri.Host) || _origins.Contains(NormalizeOrigin(origin) ?? "");
    }

    private static string? NormalizeOrigin(string origin) =>
        Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant() : null;

    /// <summary>A header value fit for a log line: short, printable.</summary>
    private static string Clean(string value) =>
        new(value.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
