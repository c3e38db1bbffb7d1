using System.Security.Claims;
using ModelContextProtocol.Server;

namespace ValueMcp.Server.Security;

/// <summary>What a caller may do: read answers only, or also record facts.</summary>
public enum CallerRole
{
    Read,
    Write,
}

/// <summary>
/// Who is calling a tool. Over HTTP with tokens it is the bearer token's name and role (set per request by the HTTP
/// endpoint on the message's user); over stdio, or HTTP on loopback without tokens, it is the local operator, who
/// may write. The name is what the audit log records as the author of a write.
/// </summary>
public sealed record Caller(string Name, CallerRole Role)
{
    public const string AuthenticationType = "valuemcp-bearer";
    public const string RoleClaim = "valuemcp:role";

    public bool CanWrite => Role == CallerRole.Write;

    /// <summary>The person who started the process (stdio, or HTTP on loopback without tokens).</summary>
    public static Caller LocalOperator { get; } = new(
        string.IsNullOrWhiteSpace(Environment.UserName) ? "local" : Environment.UserName, CallerRole.Write);

    /// <summary>The caller of a request: its authenticated user when it has one, else the local operator.</summary>
    public static Caller Of(MessageContext context) => From(context.User);

    public static Caller From(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true, AuthenticationType: AuthenticationType, Name: { Length: > 0 } name })
            return LocalOperator;
        var role = user.FindFirst(RoleClaim)?.Value == "write" ? CallerRole.Write : CallerRole.Read;
        return new Caller(name, role);
    }

    /// <summary>
    /// The user of a token holder's requests (the SDK's transport hands it to every message). The name identifier is
    /// what the SDK binds a session to: a session opened with one token answers 403 to another.
    /// </summary>
    /// <param name="kind">What names the caller: "token" (a static token) or "oauth" (an access token's subject).</param>
    public ClaimsPrincipal ToPrincipal(string kind = "token") => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, kind + ":" + Name), new Claim(ClaimTypes.Name, Name), new Claim(RoleClaim, Role == CallerRole.Write ? "write" : "read")],
        AuthenticationType, ClaimTypes.Name, RoleClaim));
}
