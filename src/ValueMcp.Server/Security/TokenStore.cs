using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ValueMcp.Server.Security;

/// <summary>One operator-issued bearer token: its name (the author of its writes), its role and the SHA-256 of the token.</summary>
public sealed record TokenEntry(string Name, CallerRole Role, byte[] Hash);

/// <summary>A token file or variable that cannot be used; the message says where and why, never a token.</summary>
public sealed class TokenConfigException(string message) : Exception(message);

/// <summary>
/// The tokens file of `token add|list|remove` and `serve --http`: the one named by the option (--file, --tokens), else by
/// VALUEMCP_TOKENS_FILE, else the default tokens file, tokens.txt in the user's data directory. One file, for both.
/// </summary>
public sealed record TokenFile(string Path, string Origin, bool Explicit)
{
    public const string DefaultName = "tokens.txt";

    public static TokenFile Locate(string? option, string optionName) =>
        !string.IsNullOrWhiteSpace(option) ? new(option, optionName, true)
        : Environment.GetEnvironmentVariable(TokenStore.FileVariable) is { Length: > 0 } env ? new(env, "$" + TokenStore.FileVariable, true)
        : new(System.IO.Path.Combine(Paths.DataDirectory, DefaultName), "the default tokens file", false);
}

/// <summary>The tokens `serve --http` accepts, and where they came from (for its start line and its refusals).</summary>
public sealed record ServerTokens(TokenStore Tokens, string Sources);

/// <summary>
/// The bearer tokens the HTTP server accepts. Only their SHA-256 hashes are stored: a line per token,
/// <c>NAME ROLE SHA256-HEX</c> (role read or write; # starts a comment), in a file (--tokens, or VALUEMCP_TOKENS_FILE)
/// and/or in VALUEMCP_TOKENS (the same lines separated by ';'). A presented token is hashed and compared with every
/// stored hash in constant time, so neither the timing nor the logs tell anything about the tokens.
/// </summary>
public sealed partial class TokenStore
{
    public const string FileVariable = "VALUEMCP_TOKENS_FILE";
    public const string InlineVariable = "VALUEMCP_TOKENS";
    public const string TokenPrefix = "vmcp_";
    private const int TokenBytes = 32;
    private const int HashBytes = 32;

    private readonly TokenEntry[] _entries;

    private TokenStore(TokenEntry[] entries) => _entries = entries;

    public static TokenStore Empty { get; } = new([]);

    public IReadOnlyList<TokenEntry> Entries => _entries;
    public bool IsEmpty => _entries.Length == 0;

    /// <summary>The tokens of the file (when given) and of the inline variable text (when given).</summary>
    public static TokenStore Load(string? file, string? inline) => Collect(file, inline).Store;

    /// <summary>
    /// The tokens `serve --http` accepts: those of the tokens file and of VALUEMCP_TOKENS, and a line saying where they
    /// came from. A file named explicitly (--tokens, VALUEMCP_TOKENS_FILE) must exist and hold at least one token; the
    /// default file may be missing or hold none, and then gives no token.
    /// </summary>
    public static ServerTokens ForServer(TokenFile file, string? inline)
    {
        var exists = File.Exists(file.Path);
        var (store, fromFile, fromInline) = Collect(file.Explicit || exists ? file.Path : null, inline);
        if (file.Explicit && fromFile == 0)
            throw new TokenConfigException($"{file.Path} ({file.Origin}) holds no token: a tokens file given explicitly must hold at least one " +
                                           $"(valuemcp token add NAME --role read|write --file {file.Path} adds one)");
        var parts = new List<string>
        {
            !exists ? $"no tokens file ({file.Origin} {file.Path} does not exist)"
            : fromFile == 0 ? $"{file.Origin} {file.Path} holds no token"
            : $"{Tokens(fromFile)} in {file.Path} ({file.Origin})",
            string.IsNullOrWhiteSpace(inline) ? $"${InlineVariable} is not set" : $"{Tokens(fromInline)} in ${InlineVariable}",
        };
        return new ServerTokens(store, string.Join(", ", parts));
    }

    private static string Tokens(int n) => n == 1 ? "1 token" : $"{n} tokens";

    private static (TokenStore Store, int FromFile, int FromInline) Collect(string? file, string? inline)
    {
        var entries = new List<TokenEntry>();
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(file))
        {
            if (!File.Exists(file)) throw new TokenConfigException($"token file not found: {file}");
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new TokenConfigException($"cannot read {file}: {e.Message}");
            }
            Parse(file, lines, entries, errors);
        }
        var fromFile = entries.Count;
        if (!string.IsNullOrWhiteSpace(inline)) Parse(InlineVariable, inline.Split(';'), entries, errors);
        foreach (var dup in entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"the token name \"{dup.Key}\" is used {dup.Count()} times; names must be unique (they are the authors in the audit log)");
        if (errors.Count > 0) throw new TokenConfigException(string.Join(Environment.NewLine, errors));
        return (new TokenStore([.. entries]), fromFile, entries.Count - fromFile);
    }

    public static void Parse(string source, IReadOnlyList<string> lines, List<TokenEntry> entries, List<string> errors)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            var where = $"{source}:{i + 1}";
            if (parts.Length != 3)
            {
                errors.Add($"{where}: expected NAME ROLE SHA256-HEX (3 fields), found {parts.Length}");
                continue;
            }
            var (name, role, hex) = (parts[0], parts[1], parts[2]);
            if (!NamePattern().IsMatch(name))
                errors.Add($"{where}: the name must be 1-64 letters, digits, '.', '_', '-' or '@'");
            else if (ParseRole(role) is not { } parsedRole)
                errors.Add($"{where}: the role must be read or write");
            else if (hex.Length != HashBytes * 2 || !hex.All(Uri.IsHexDigit))
                errors.Add($"{where}: the third field must be the SHA-256 of the token as 64 hex digits (valuemcp token add writes it)");
            else
                entries.Add(new TokenEntry(name, parsedRole, Convert.FromHexString(hex)));
        }
    }

    public static CallerRole? ParseRole(string role) => role.ToLowerInvariant() switch
    {
        "read" => CallerRole.Read,
        "write" => CallerRole.Write,
        _ => null,
    };

    public static string RoleName(CallerRole role) => role == CallerRole.Write ? "write" : "read";

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>The caller a presented token belongs to, or null. Every stored hash is compared, whatever matches.</summary>
    public Caller? Verify(string presented)
    {
        if (_entries.Length == 0 || presented.Length is 0 or > 512) return null;
        Span<byte> hash = stackalloc byte[HashBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        TokenEntry? match = null;
        foreach (var entry in _entries)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, entry.Hash)) match = entry;
        }
        return match is null ? null : new Caller(match.Name, match.Role);
    }

    /// <summary>A new random token: the prefix (so that secret scanners recognise it) and 256 random bits.</summary>
    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        RandomNumberGenerator.Fill(bytes);
        return TokenPrefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string HashHex(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    public static string Line(string name, CallerRole role, string hashHex) => $"{name} {RoleName(role)} {hashHex}";

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex NamePattern();
}
