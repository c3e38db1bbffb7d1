namespace ValueMcp.Store;

/// <summary>Where the CSV files of an import come from: a folder, or streams (the embedded demo).</summary>
public sealed class ImportSource
{
    private readonly IReadOnlyDictionary<string, (Func<Stream> Open, long? Length)> _files;
    private readonly IReadOnlyDictionary<string, string> _refused;

    private ImportSource(string description, IReadOnlyDictionary<string, (Func<Stream>, long?)> files, IReadOnlyDictionary<string, string>? refused = null)
    {
        Description = description;
        _files = files;
        _refused = refused ?? new Dictionary<string, string>();
    }

    public string Description { get; }

    /// <summary>What to give instead of a file, or of a folder that is not one: the end of a sentence.</summary>
    public static string FolderHint { get; } =
        $"give the folder that holds {string.Join(", ", FactImporter.FileOrder)} (any may be absent)";

    private const string RegularFile = "an import file is a regular CSV file with a header row";

    /// <summary>
    /// The import files of a folder. An entry with a file's name that is not a regular file with content is refused
    /// before it is ever opened (a named pipe would block the reader until something writes to it; a device may never
    /// end): .NET does not tell a pipe, a socket or a device from a regular file, but they all have no size, and an
    /// empty regular file has nothing to import either.
    /// </summary>
    public static ImportSource FromFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new StoreException(File.Exists(folder) ? $"{folder} is a file; {FolderHint}" : $"folder not found: {folder}");
        var files = new Dictionary<string, (Func<Stream>, long?)>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in FactImporter.FileOrder)
        {
            var path = Path.Combine(folder, name);
            var why = (string?)null;
            long length = 0;
            if (Directory.Exists(path)) why = $"a folder, not a file: {RegularFile}";
            else if (!File.Exists(path)) continue;
            else
            {
                try
                {
                    length = new FileInfo(path).Length;
                    if (length == 0) why = $"empty or not a regular file (a named pipe, a socket or a device): {RegularFile}";
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    why = $"cannot be read: {RegularFile} the server may read";
                }
            }
            if (why is not null)
            {
                refused[name] = why;
                files[name] = (() => throw new InvalidOperationException($"{name} is refused: {why}"), 0);
            }
            else files[name] = (() => File.OpenRead(path), length);
        }
        return new ImportSource(Path.GetFullPath(folder), files, refused);
    }

    /// <summary>Files given as streams, by file name; their size is checked as they are read.</summary>
    public static ImportSource FromStreams(string description, IReadOnlyDictionary<string, Func<Stream>> streams)
    {
        var unknown = streams.Keys.Where(k => !FactImporter.FileOrder.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new StoreException($"unknown import file name(s) {string.Join(", ", unknown)} in {description}; accepted: {string.Join(", ", FactImporter.FileOrder)}");
        return new(description, streams.ToDictionary(kv => kv.Key, kv => (kv.Value, (long?)null)));
    }

    public bool Has(string file) => _files.ContainsKey(file);

    /// <summary>Why a file of the source is refused before it is opened (it is not a regular file with content), or null.</summary>
    public string? Refusal(string file) => _refused.GetValueOrDefault(file);

    public (Func<Stream> Open, long? Length) Get(string file) => _files[file];

    public IReadOnlyList<string> Files => FactImporter.FileOrder.Where(Has).ToList();
}

public sealed record ImportOptions
{
    public bool DryRun { get; init; }
    /// <summary>A file larger than this is refused before it is read.</summary>
    public long MaxFileBytes { get; init; } = 2L * 1024 * 1024 * 1024;
    /// <summary>A file with more data rows than this is refused (nothing is written).</summary>
    public long MaxRows { get; init; } = 50_000_000;
    /// <summary>A record (one row) larger than this many bytes is refused: guards against an unbalanced quote.</summary>
    public int MaxRecordBytes { get; init; } = 1024 * 1024;
    /// <summary>How many row errors are kept in the report (all are counted): every door shows these, then how many more.</summary>
    public int MaxErrorsReported { get; init; } = 100;
    /// <summary>How many warnings are kept in the report; the report's last warning then says how many more there were.</summary>
    public int MaxWarningsReported { get; init; } = 100;
    public string Author { get; init; } = "import";
    /// <summary>The writer's page cache while it imports, in MiB (given back afterwards); a bulk load spills to the WAL beyond it.</summary>
    public int CacheMiB { get; init; } = 128;
    /// <summary>The clock of the audit entry, and the import's day (UTC) unless Day is given.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>The import's day: when a renewal_date it moves on is recorded as renewed (definitions, "Renewals"). Default: the Clock's UTC day.</summary>
    public DateOnly? Day { get; init; }
    /// <summary>
    /// A renewal_date moved later by the import is a renewal (the old date recorded as renewed) when the old date is at most
    /// this many days after the import's day; further away it is a correction. The server passes the policy's
    /// renewal_decision_window_days (default 90).
    /// </summary>
    public int RenewalWindowDays { get; init; } = 90;

    /// <summary>The import's day.</summary>
    public DateOnly ImportDay => Day ?? DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
}

public sealed record ImportError(string File, long Line, string Column, string Value, string Message)
{
    public override string ToString() =>
        Column.Length == 0 ? $"{File}:{Line}: {Message}" : $"{File}:{Line}: {Column}: {Message}" + (Value.Length > 0 ? $" (got \"{Shorten(Value)}\")" : "");

    // One error, one line: line breaks and tabs inside a value are shown escaped.
    private static string Shorten(string v)
    {
        v = v.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
        return v.Length <= 60 ? v : v[..57] + "...";
    }
}

public sealed record FileCounts(string File, long Rows, long Inserted, long Updated, long Unchanged);

/// <summary>How far the import of one file is: rows read, bytes read out of the file's size (null when unknown).</summary>
public sealed record ImportProgress(string File, long Rows, bool Done, long Bytes = 0, long? TotalBytes = null);

/// <summary>
/// The outcome of an import. Files: per file, the rows read and what became of them (on a refusal only the rows read:
/// nothing was inserted, updated or left unchanged). Errors: the first ones (ImportOptions.MaxErrorsReported), all
/// counted in ErrorCount. Warnings: the first ones (MaxWarningsReported), then one "... and N more warnings".
/// </summary>
public sealed record ImportReport(
    string Source,
    bool DryRun,
    bool Committed,
    IReadOnlyList<FileCounts> Files,
    IReadOnlyList<ImportError> Errors,
    long ErrorCount,
    IReadOnlyList<string> Warnings,
    long WarningCount)
{
    public bool Ok => ErrorCount == 0;
}
