namespace ValueMcp.Server.App;

/// <summary>
/// The one directory (and its subfolders) the import_facts tool may read: set by the operator (serve --import-root,
/// or VALUEMCP_IMPORT_ROOT), never by the client. A folder the client names is resolved inside it, symbolic links
/// included, and refused when it leads outside.
/// </summary>
public sealed class ImportRoot(string? configured)
{
    public const string Variable = "VALUEMCP_IMPORT_ROOT";

    public string? Root { get; } =
        !string.IsNullOrWhiteSpace(configured) ? configured
        : Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } env ? env : null;

    /// <summary>The real path of folder (relative to the root, or absolute inside it), or an InputException saying why not.</summary>
    public string Resolve(string? folder)
    {
        if (Root is null)
            throw new InputException("import_facts is not configured on this server: the operator must start it with --import-root DIR " +
                $"(or set {Variable}) to name the directory whose CSV folders may be imported; nothing was read");
        if (string.IsNullOrWhiteSpace(folder)) throw new InputException("folder is required: a folder inside the import root, e.g. \"crm-export-2026-11\" (\".\" for the root itself)");
        if (folder.Length > 1000) throw new InputException("folder: longer than 1000 characters");
        if (folder.Any(char.IsControl)) throw new InputException("folder: contains a control character");

        string root;
        try
        {
            root = RealPath(Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException("import_facts: the configured import root cannot be read; ask the operator to check --import-root");
        }
        if (!Directory.Exists(root)) throw new InputException("import_facts: the configured import root does not exist; ask the operator to check --import-root");

        string real;
        try
        {
            var candidate = Path.GetFullPath(Path.IsPathRooted(folder) ? folder : Path.Combine(root, folder));
            real = RealPath(candidate);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException($"folder: \"{Inputs.Show(folder)}\" is not a usable path inside the import root");
        }
        if (!Inside(real, root))
            throw new InputException($"folder: \"{Inputs.Show(folder)}\" leads outside the import root; name a folder inside it (relative paths are resolved from the root)");
        if (!Directory.Exists(real))
            throw new InputException(File.Exists(real)
                ? $"folder: \"{Inputs.Show(folder)}\" is a file; {Store.ImportSource.FolderHint}"
                : $"folder: \"{Inputs.Show(folder)}\" is not a folder inside the import root");
        // The files themselves may be links too: each must stay inside the root.
        foreach (var file in Store.FactImporter.FileOrder)
        {
            var path = Path.Combine(real, file);
            if (!File.Exists(path)) continue;
            if (!Inside(RealPath(path), root))
                throw new InputException($"folder: {file} in \"{Inputs.Show(folder)}\" is a link that leads outside the import root");
        }
        return real;
    }

    /// <summary>The folder relative to the root, for answers (the server's own paths are not shown).</summary>
    public string Relative(string real) => Path.GetRelativePath(RealPath(Root!), real);

    private static bool Inside(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The absolute path with every symbolic link along it resolved (like realpath(3)); missing parts are kept as they are.</summary>
    public static string RealPath(string path, int depth = 0)
    {
        if (depth > 40) throw new IOException("too many levels of symbolic links");
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(next);
            if (info.LinkTarget is { } target)
                next = RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), depth + 1);
            current = next;
        }
        return current;
    }
}
