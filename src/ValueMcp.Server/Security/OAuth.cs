using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using ValueMcp.Server.Http;

namespace ValueMcp.Server.Security;

/// <summary>
/// The OAuth 2.1 resource server settings (serve --auth-issuer URL --auth-audience URI, or --auth-config FILE): the
/// authorization server whose access tokens are accepted and this server's resource URI, which the tokens must name as
/// their audience.
/// </summary>
public sealed record OAuthOptions(Uri Issuer, string Audience)
{
    public const string ReadScope = "valuemcp:read";
    public const string WriteScope = "valuemcp:write";
    public static readonly IReadOnlyList<string> Scopes = [ReadScope, WriteScope];

    /// <summary>Where the issuer publishes its metadata (and so its signing keys, jwks_uri); null: OpenID discovery under the issuer.</summary>
    public Uri? MetadataAddress { get; init; }

    /// <summary>
    /// Reads and checks the settings: the issuer an absolute https URL (http only on loopback, for trials and tests),
    /// the audience an absolute URI. Throws ArgumentException saying what is accepted.
    /// </summary>
    public static OAuthOptions Of(string? issuer, string? audience, string? metadataAddress = null)
    {
        if (string.IsNullOrWhiteSpace(issuer) || string.IsNullOrWhiteSpace(audience))
            throw new ArgumentException("--auth-issuer and --auth-audience go together (or both in --auth-config): the authorization server's issuer URL and this server's resource URI");
        if (!Uri.TryCreate(issuer.Trim(), UriKind.Absolute, out var issuerUri) || !SafeScheme(issuerUri))
            throw new ArgumentException($"--auth-issuer: \"{issuer}\" is not an https:// URL (http:// is accepted only on loopback)");
        if (!Uri.TryCreate(audience.Trim(), UriKind.Absolute, out _))
            throw new ArgumentException($"--auth-audience: \"{audience}\" is not an absolute URI (this server's resource URI, e.g. https://mcp.example.com/mcp)");
        Uri? metadata = null;
        if (!string.IsNullOrWhiteSpace(metadataAddress) &&
            (!Uri.TryCreate(metadataAddress.Trim(), UriKind.Absolute, out metadata) || !SafeScheme(metadata)))
            throw new ArgumentException($"metadata_address: \"{metadataAddress}\" is not an https:// URL (http:// is accepted only on loopback)");
        return new OAuthOptions(issuerUri, audience.Trim()) { MetadataAddress = metadata };
    }

    /// <summary>--auth-config: a JSON object with issuer, audience and optionally metadata_address.</summary>
    public static OAuthOptions FromFile(string path)
    {
        OAuthConfigFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllText(path), OAuthJson.Default.OAuthConfigFile);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"--auth-config {path}: not a JSON object with \"issuer\" and \"audience\" ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--auth-config {path}: cannot be read ({e.Message})");
        }
        if (file is null) throw new ArgumentException($"--auth-config {path}: not a JSON object with \"issuer\" and \"audience\"");
        return Of(file.Issuer, file.Audience, file.MetadataAddress);
    }

    /// <summary>The issuer as tokens carry it in iss (what the authorization server's metadata says, usually without a trailing slash).</summary>
    public string IssuerText => Issuer.OriginalString.Trim();

    public Uri Metadata => MetadataAddress ?? new Uri(IssuerText.TrimEnd('/') + "/.well-known/openid-configuration");

    private static bool SafeScheme(Uri uri) => uri.Scheme == "https" || (uri.Scheme == "http" && Binding.IsLoopback(uri.Host));
}

internal sealed record OAuthConfigFile(
    [property: JsonPropertyName("issuer")] string? Issuer,
    [property: JsonPropertyName("audience")] string? Audience,
    [property: JsonPropertyName("metadata_address")] string? MetadataAddress);

/// <summary>The protected resource metadata document (RFC 9728).</summary>
public sealed record ProtectedResourceMetadata(
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("authorization_servers")] IReadOnlyList<string> AuthorizationServers,
    [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
    [property: JsonPropertyName("bearer_methods_supported")] IReadOnlyList<string> BearerMethodsSupported,
    [property: JsonPropertyName("resource_name")] string ResourceName);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OAuthConfigFile))]
[JsonSerializable(typeof(ProtectedResourceMetadata))]
internal sealed partial class OAuthJson : JsonSerializerContext;

/// <summary>
/// JWT access tokens from the configured authorization server (Microsoft.AspNetCore.Authentication.JwtBearer): the
/// signature against the keys the issuer publishes (its metadata's jwks_uri, fetched and refreshed by the handler),
/// the issuer, the audience (this server's resource URI), the expiry. The scopes decide the role: valuemcp:write
/// writes, valuemcp:read reads; a token with neither gets 403 insufficient_scope. The token is never passed on to
/// anything (this server calls no other service).
/// </summary>
public static class OAuth
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;
    public const string MetadataPath = "/.well-known/oauth-protected-resource";
    /// <summary>RFC 9728's path-aware form for the resource at /mcp, which clients try first.</summary>
    public const string MetadataPathForEndpoint = MetadataPath + HttpServeOptions.EndpointPath;
    /// <summary>A claim on OAuth callers' principals: their token came from the authorization server.</summary>
    public const string ViaClaim = "valuemcp:via";

    public static void AddTo(IServiceCollection services, OAuthOptions oauth)
    {
        services.AddAuthentication(Scheme).AddJwtBearer(Scheme, o =>
        {
            o.MetadataAddress = oauth.Metadata.ToString();
            o.RequireHttpsMetadata = oauth.Metadata.Scheme == "https";
            o.MapInboundClaims = false;
            o.SaveToken = false;
            o.IncludeErrorDetails = false; // our own challenge says what is wrong, without token details
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = oauth.IssuerText,
                ValidateIssuer = true,
                ValidAudience = oauth.Audience,
                ValidateAudience = true,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "sub",
            };
        });
    }

    /// <summary>Whether a presented bearer value is one of the static tokens (they all start vmcp_) rather than a JWT.</summary>
    public static bool IsStaticToken(string token) => token.StartsWith(TokenStore.TokenPrefix, StringComparison.Ordinal);

    /// <summary>The caller of a valid access token, or why it is not valid (for the challenge and the log).</summary>
    public static async Task<(ClaimsPrincipal? User, string? Problem)> Authenticate(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal is not { } principal)
            return (null, Describe(result.Failure));
        var scopes = Scopes(principal);
        var subject = principal.FindFirst("sub")?.Value ?? principal.FindFirst("client_id")?.Value ?? principal.FindFirst("azp")?.Value;
        if (string.IsNullOrWhiteSpace(subject)) return (null, "the token names no subject (sub)");
        CallerRole? role = scopes.Contains(OAuthOptions.WriteScope) ? CallerRole.Write : scopes.Contains(OAuthOptions.ReadScope) ? CallerRole.Read : null;
        var user = new Caller(Shown(subject), role ?? CallerRole.Read).ToPrincipal("oauth");
        ((ClaimsIdentity)user.Identity!).AddClaim(new Claim(ViaClaim, role is null ? "oauth-no-scope" : "oauth"));
        return (user, null);
    }

    public static bool IsOAuthCaller(ClaimsPrincipal user) => user.FindFirst(ViaClaim) is not null;
    public static bool HasNoScope(ClaimsPrincipal user) => user.FindFirst(ViaClaim)?.Value == "oauth-no-scope";

    /// <summary>The scopes of a token: "scope" (RFC 9068, space-separated) or "scp" (one claim per scope, or space-separated).</summary>
    private static HashSet<string> Scopes(ClaimsPrincipal principal) =>
        principal.FindAll(c => c.Type is "scope" or "scp")
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The subject as a caller name: printable, short (it is the author of writes in the audit log).</summary>
    private static string Shown(string subject) =>
        new(subject.Take(120).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static string Describe(Exception? failure) => failure switch
    {
        null => "no bearer token",
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenInvalidAudienceException => "the token is for another audience (resource)",
        SecurityTokenInvalidIssuerException => "the token is from another issuer",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token's signature does not verify with the issuer's published keys",
        SecurityTokenNoExpirationException => "the token has no expiry",
        InvalidOperationException => "the authorization server's metadata or keys could not be fetched",
        _ => "the token is not a valid access token from the configured issuer",
    };

    /// <summary>The protected resource metadata of this server, as served at the well-known address.</summary>
    public static ProtectedResourceMetadata Metadata(OAuthOptions oauth) =>
        new(oauth.Audience, [oauth.IssuerText], OAuthOptions.Scopes, ["header"], "ValueMcp");

    /// <summary>Where a client finds the metadata, from the address it used to reach the server.</summary>
    public static string MetadataUrl(HttpContext context) =>
        $"{context.Request.Scheme}://{context.Request.Host}{MetadataPath}";

    public static Task WriteMetadata(HttpContext context, OAuthOptions oauth)
    {
        context.Response.Headers.CacheControl = "max-age=300";
        return Results.Json(Metadata(oauth), OAuthJson.Default.ProtectedResourceMetadata).ExecuteAsync(context);
    }
}
