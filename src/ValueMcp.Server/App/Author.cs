using System.Security.Claims;

namespace ValueMcp.Server.App;

/// <summary>Who a write is recorded as written by (the audit log's author, an override's author, evidence's captured_by).</summary>
public interface IAuthorProvider
{
    /// <summary>The author of a write made by user: the authenticated client when there is one, else the server's operator.</summary>
    string Author(ClaimsPrincipal? user);
}

/// <summary>
/// The configured operator (serve --operator, else VALUEMCP_OPERATOR, else the OS user name) for unauthenticated
/// callers (stdio); an authenticated caller (HTTP with a token) is recorded by its own name.
/// </summary>
public sealed class OperatorAuthor : IAuthorProvider
{
    public const string Variable = "VALUEMCP_OPERATOR";
    public const int MaxLength = 200;

    public OperatorAuthor(string? configured)
    {
        var name = !string.IsNullOrWhiteSpace(configured) ? configured.Trim()
            : Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } env && env.Trim().Length > 0 ? env.Trim()
            : string.IsNullOrWhiteSpace(Environment.UserName) ? "operator" : Environment.UserName;
        if (name.Length > MaxLength || name.Any(char.IsControl))
            throw new InputException($"operator: the name must be printable text of at most {MaxLength} characters");
        Operator = name;
    }

    public string Operator { get; }

    public string Author(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { } name } && name.Trim().Length > 0 ? name.Trim() : Operator;
}
