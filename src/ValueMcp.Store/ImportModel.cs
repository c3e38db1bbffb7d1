namespace ValueMcp.Store;

/// <summary>Where the CSV files of an import come from: a folder, or streams (the embedded demo).</summary>
public sealed class ImportSource
{
    private readonly IReadOnlyDictionary<string, (Func<Stream> Open, long? Length)> _files;

    private ImportSource(string description, IReadOnlyDictionary<string, (Func<Stream>, long?)> files)
    {
        Description = description;
        _files = files;
    }

    public string Description { get; }

    public static ImportSource FromFolder(string folder)
    {
        if (!Directory.Exists(folder)) throw new StoreException($"folder not found: {folder}");
        var files = new Dictionary<string, (Func<Stream>, long?)>(StringComparer.Ordinal);
        foreach (var name in FactImporter.FileOrder)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) files[name] = (() => File.OpenRead(path), new FileInfo(path).Length);
        }
        return new ImportSource(Path.GetFullPath(folder), files);
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

    public (Func<Stream> Open, long? Length) Get(string file) => _files[file];

    public IReadOnlyList<string> Files => FactImporter.FileOrder.Where(Has).ToList();
}

public sealed record ImportOptions
{
    public bool DryRun { get; init; }
    /// <summary>A file larger than this is refused before it is read.</summary>
    public long MaxFileBytes { get; init; } = 2L * 1024 * 1024 * 1024;
    /// <summary>A file with more data rows than this is refused (nothing is written).</summary>
    public long MaxRows { get; init; } = 20_000_000;
    /// <summary>A record (one row) larger than this many bytes is refused: guards against an unbalanced quote.</summary>
    public int MaxRecordBytes { get; init; } = 1024 * 1024;
    /// <summary>How many row errors are kept in the report (all are counted).</summary>
    public int MaxErrorsReported { get; init; } = 1000;
    public string Author { get; init; } = "import";
    /// <summary>The writer's page cache while it imports, in MiB (given back afterwards); a bulk load spills to the WAL beyond it.</summary>
    public int CacheMiB { get; init; } = 128;
    /// <summary>The clock of the audit entry.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
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

public sealed record ImportReport(
    string Source,
    bool DryRun,
    bool Committed,
    IReadOnlyList<FileCounts> Files,
    IReadOnlyList<ImportError> Errors,
    long ErrorCount,
    IReadOnlyList<string> Warnings)
{
    public bool Ok => ErrorCount == 0;
}
