using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ValueMcp.Store;

namespace ValueMcp.Server.Http;

/// <summary>
/// The HTTP host: Kestrel with the limits, the guards (HttpGuards: Host, Origin, tokens), ASP.NET Core's rate limiter and
/// request timeouts, the JSON-RPC gate (McpGateMiddleware), then the SDK's Streamable HTTP transport at /mcp (MapMcp;
/// the same MCP surface as stdio, from Hosting.AddValueMcp), the portfolio view at / and /healthz.
/// </summary>
public static class HttpHost
{
    private const string RatePolicy = "per-client";

    /// <param name="configureMcp">Adds to the MCP surface after AddValueMcp (tests add a tool that writes).</param>
    public static WebApplication Build(ServeOptions serve, HttpServeOptions http, Binding binding, Action<IMcpServerBuilder>? configureMcp = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = Hosting.ServerName });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning); // request lines would add nothing but volume
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
        // A start that fails (a port in use) is reported by HttpCli in one line; the host's own log of it would be a
        // stack trace. Once started, the host logs as usual.
        var started = false;
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => started && level >= LogLevel.Warning);

        builder.WebHost.UseUrls([.. http.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = http.MaxRequestBytes;
        });

        Hosting.AddValueServices(builder.Services, serve);
        var mcp = Hosting.AddValueMcp(builder.Services) // the role filters (Security.RoleFilter) are part of it
            .WithHttpTransport(o =>
            {
                // Both revisions on one endpoint: a client that sends initialize (2025-11-25 and before) gets a session
                // (Mcp-Session-Id); a 2026-07-28 client (server/discover, per-request _meta) is served statelessly.
                o.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
                // The SDK marks the session settings obsolete (sessions are for the older revisions only); we serve those
                // clients on purpose, so their sessions keep our idle timeout and bound.
#pragma warning disable MCP9006
                o.IdleTimeout = http.SessionIdleTimeout;
                o.MaxIdleSessionCount = http.MaxSessions;
#pragma warning restore MCP9006
            });
        configureMcp?.Invoke(mcp);
        builder.Services.AddSingleton(http);
        builder.Services.AddSingleton(binding);
        builder.Services.AddSingleton<HttpGuards>();
        builder.Services.AddSingleton<McpGateMiddleware>();
        if (http.OAuth is not null) Security.OAuth.AddTo(builder.Services, http.OAuth);
        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = http.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            WriteTimeoutResponse = context => JsonRpcErrors.Write(context, StatusCodes.Status504GatewayTimeout, JsonRpcErrors.Refused,
                $"Gateway Timeout: the request took more than {http.RequestTimeout.TotalSeconds:0} s."),
        });
        if (http.RateLimitPerMinute > 0) builder.Services.AddRateLimiter(o => ConfigureRateLimit(o, http.RateLimitPerMinute));

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => started = true);
        var guards = app.Services.GetRequiredService<HttpGuards>();
        app.Use(guards.CheckAndIdentify);
        if (http.RateLimitPerMinute > 0) app.UseRateLimiter();
        app.Use(guards.RequireToken);
        // Every request but the long-lived GET event stream of a session is cut off after the request timeout.
        app.UseWhen(context => !(HttpMethods.IsGet(context.Request.Method) && IsMcpPath(context)), timed => timed.UseRequestTimeouts());
        app.Use(app.Services.GetRequiredService<McpGateMiddleware>().Invoke);

        // The SDK's Streamable HTTP transport: POST, GET (the session's event stream) and DELETE (ends a session).
        var mcpEndpoint = app.MapMcp(HttpServeOptions.EndpointPath);
        if (http.RateLimitPerMinute > 0) mcpEndpoint.RequireRateLimiting(RatePolicy);
        // Plain request delegates (no parameter binding by reflection), as the Native AOT build needs.
        if (http.OAuth is { } oauth)
        {
            // RFC 9728: at the root well-known address and at its path-aware form for /mcp, which clients try first.
            app.MapGet(Security.OAuth.MetadataPath, context => Security.OAuth.WriteMetadata(context, oauth));
            app.MapGet(Security.OAuth.MetadataPathForEndpoint, context => Security.OAuth.WriteMetadata(context, oauth));
        }
        app.MapGet(HttpServeOptions.AppPath, context => AppPage(context).ExecuteAsync(context));
        app.MapGet(HttpServeOptions.HealthPath, context =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Health(context.RequestServices.GetRequiredService<IFactStore>()).ExecuteAsync(context);
        }).DisableRequestTimeout();
        return app;
    }

    private static bool IsMcpPath(HttpContext context) =>
        context.Request.Path.Equals(HttpServeOptions.EndpointPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The portfolio view in a browser: the same HTML as the MCP App resource, under a policy that lets it run only its
    /// own inline script and talk only to this server (PortfolioApp.PagePolicy).
    /// </summary>
    private static IResult AppPage(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Ui.PortfolioApp.PagePolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return Results.Content(Ui.PortfolioApp.Html, "text/html; charset=utf-8");
    }

    /// <summary>For load balancers: whether the server can open its database. Nothing about the data.</summary>
    private static IResult Health(IFactStore db)
    {
        try
        {
            db.Check();
            return Results.Json(new HealthAnswer("ok", db.Kind), HealthJson.Default.HealthAnswer, statusCode: StatusCodes.Status200OK);
        }
        catch (Exception)
        {
            return Results.Json(new HealthAnswer("unavailable", db.Kind), HealthJson.Default.HealthAnswer, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>
    /// A token bucket per client holding a minute's worth of requests, refilled evenly; past it, 429 with Retry-After.
    /// </summary>
    private static void ConfigureRateLimit(RateLimiterOptions o, int perMinute)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks / perMinute, TimeSpan.FromMilliseconds(100).Ticks));
        var perPeriod = (int)Math.Max(1, Math.Round(perMinute * period.TotalMinutes));
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.AddPolicy(RatePolicy, context => RateLimitPartition.GetTokenBucketLimiter(HttpGuards.ClientKey(context), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        o.OnRejected = async (rejected, ct) =>
        {
            var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 60;
            rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await JsonRpcErrors.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, JsonRpcErrors.Refused,
                $"Too Many Requests: at most {perMinute} requests a minute per client; retry after {seconds} s.");
        };
    }
}

/// <summary>The health answer: ok or unavailable, and which store the server uses (sqlite or postgres; nothing about where).</summary>
public sealed record HealthAnswer(string Status, string Store);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(HealthAnswer))]
internal sealed partial class HealthJson : System.Text.Json.Serialization.JsonSerializerContext;
