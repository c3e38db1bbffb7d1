namespace ValueMcp.Server;

/// <summary>Where databases live when no --db is given.</summary>
public static class Paths
{
    public const string DbVariable = "VALUEMCP_DB";

    /// <summary>valuemcp in the user's data directory (on Linux $XDG_DATA_HOME, else ~/.local/share).</summary>
    /// <exception cref="IOException">The user's data directory does not exist and cannot be made (the message says which).</exception>
    public static string DataDirectory
    {
        get
        {
            string baseDir;
            try
            {
                baseDir = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot make the user's data directory ({e.Message}); set XDG_DATA_HOME to a folder this user may write, or name the file itself (--db, --tokens, --file)", e);
            }
            if (string.IsNullOrEmpty(baseDir)) baseDir = Path.Combine(Path.GetTempPath(), "valuemcp-data");
            return Path.Combine(baseDir, "valuemcp");
        }
    }

    /// <summary>--db, else VALUEMCP_DB, else valuemcp.db in the user's data directory.</summary>
    public static string Database(string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : Environment.GetEnvironmentVariable(DbVariable) is { Length: > 0 } env ? env
        : Path.Combine(DataDirectory, "valuemcp.db");

    public static string DemoDatabase => Path.Combine(DataDirectory, "demo.db");
}
