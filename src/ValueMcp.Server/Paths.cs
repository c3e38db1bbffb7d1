namespace ValueMcp.Server;

/// <summary>Where databases live when no --db is given.</summary>
public static class Paths
{
    public const string DbVariable = "VALUEMCP_DB";

    public static string DataDirectory
    {
        get
        {
            var baseDir = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
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
