using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using CsvHelper;
using Microsoft.Data.Sqlite;
using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>
/// Loads a folder of CSV exports (../shared/spec/import.md): strict, all or nothing in one transaction,
/// keyed upserts with per-file counts, referential checks, every bad row reported as FILE:LINE: COLUMN: message.
/// A dry run runs every check on a read connection and writes nothing (so it works on a read-only database too).
/// </summary>
public sealed class FactImporter(Database db)
{
    /// <summary>Files in load order: what a row refers to is loaded before it.</summary>
    public static readonly IReadOnlyList<string> FileOrder = FactKinds.Imported.Select(k => k.File!).ToArray();

    /// <summary>Rows between two progress reports of one file.</summary>
    private const int ProgressEvery = 16_384;

    public ImportReport Import(ImportSource source, ImportOptions options, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var run = Precheck(source, options);
        if (run.ErrorCount > 0) return run.Report(source, committed: false);

        if (options.DryRun)
        {
            // Every check, against a consistent snapshot of what is stored, on a read connection: nothing can be written.
            using var c = db.OpenRead();
            using var tx = c.BeginTransaction(deferred: true);
            Load(c, tx, source, run, write: false, progress, ct);
            return run.Report(source, committed: false);
        }

        try
        {
            return db.Write((c, tx) =>
            {
                using (BulkSettings(c, tx, options.CacheMiB))
                {
                    // The import's day and window, for the renewal_date_moves_on trigger (migration 0007): stated here, not read from a clock.
                    using (var cmd = c.CreateCommand())
                    {
                        cmd.Transaction = tx;
                        cmd.CommandText = "INSERT INTO import_context (id, day, renewal_window_days) VALUES (1, $day, $window)";
                        cmd.Parameters.AddWithValue("$day", FactReader.Iso(options.ImportDay));
                        cmd.Parameters.AddWithValue("$window", options.RenewalWindowDays);
                        cmd.ExecuteNonQuery();
                    }
                    Load(c, tx, source, run, write: true, progress, ct);
                    Pragma(c, tx, "DELETE FROM import_context");
                }
                if (run.ErrorCount > 0) throw new RollbackSignal(run.Report(source, committed: false));
                AuditLog.Append(c, tx, options.Clock.GetUtcNow(), "import", AuditArguments(source, run), options.Author);
                // Any account may have changed: readers rescore the whole portfolio (an import that changed nothing leaves the version).
                if (Changed(run)) DataVersions.Raise(c, tx, accountId: null);
                return run.Report(source, committed: true);
            });
        }
        catch (RollbackSignal r)
        {
            return r.Report;
        }
    }

    /// <summary>
    /// A run of the import with the refusals found before anything is opened, read or written: what is not a regular
    /// file, and what is over the size limit (a stream of unknown length is checked as it is read).
    /// </summary>
    internal static Run Precheck(ImportSource source, ImportOptions options)
    {
        if (source.Files.Count == 0)
            throw new StoreException($"no import files in {source.Description}; expected one or more of: {string.Join(", ", FileOrder)}");
        var run = new Run(options);
        foreach (var file in source.Files)
        {
            if (source.Refusal(file) is { } why)
                run.Error(file, 1, "", "", why);
            else if (source.Get(file).Length is long n && n > options.MaxFileBytes)
                run.Error(file, 1, "", "", TooLarge(n, options.MaxFileBytes));
        }
        return run;
    }

    /// <summary>The audit entry of a committed import: the source and its per-file counts (a JSON object).</summary>
    internal static string AuditArguments(ImportSource source, Run run) => JsonSerializer.Serialize(
        new ImportAudit(source.Description, [.. run.Counts.Values.Select(f => f.Snapshot())]), StoreJson.Default.ImportAudit);

    /// <summary>Whether the import changed any fact (an import that changed nothing leaves the data version).</summary>
    internal static bool Changed(Run run) => run.Counts.Values.Any(f => f.Inserted + f.Updated > 0);

    private static string TooLarge(long? bytes, long limit) =>
        (bytes is long n ? $"file is {n:N0} bytes" : "file is larger") + $", over the limit of {limit:N0} bytes; split it or raise the limit";

    private void Load(SqliteConnection c, SqliteTransaction tx, ImportSource source, Run run, bool write,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        if (write)
        {
            // What is stored is looked up on a read connection: its snapshot is the store as this transaction found it
            // (the writer's lock is held, nothing else commits). The writer connection belongs to the sink's thread.
            using var read = db.OpenRead();
            using var readTx = read.BeginTransaction(deferred: true);
            using var stored = new SqliteStoredFacts(read, readTx);
            var references = new References(stored, run);
            using (var sink = new PipelinedSink(c, tx))
            {
                LoadFiles(source, run, references, sink, progress, ct);
                sink.Complete();
            }
            CheckContractions(stored, run);
        }
        else
        {
            using var stored = new SqliteStoredFacts(c, tx);
            var references = new References(stored, run);
            using (var sink = new InlineSink(c, tx, write: false))
                LoadFiles(source, run, references, sink, progress, ct);
            CheckContractions(stored, run);
        }
    }

    internal static void LoadFiles(ImportSource source, Run run, References references, RowSink sink,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        foreach (var file in source.Files)
        {
            ct.ThrowIfCancellationRequested();
            var (open, length) = source.Get(file);
            using var stream = new LimitedStream(open(), run.Options.MaxFileBytes);
            LoadFile(file, FactKinds.For(file), stream, length, run, references, sink, progress, ct);
        }
    }

    /// <summary>
    /// A large page cache for the load, given back afterwards (the writer is long-lived). Sorting for the indexes
    /// rebuilt after a bulk load into an empty table uses it too.
    /// </summary>
    private static IDisposable BulkSettings(SqliteConnection c, SqliteTransaction tx, int cacheMiB)
    {
        Pragma(c, tx, $"PRAGMA cache_size = -{Math.Clamp(cacheMiB, 1, 65_536) * 1024}");
        Pragma(c, tx, $"PRAGMA threads = {Math.Min(Environment.ProcessorCount, 4)}"); // helper threads for the sorts of index rebuilds
        return new Restore(() => Pragma(c, tx, "PRAGMA cache_size = -2000; PRAGMA threads = 0"));
    }

    private static void Pragma(SqliteConnection c, SqliteTransaction tx, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private static void LoadFile(string file, FactEntry spec, LimitedStream stream, long? length,
        Run run, References references, RowSink sink, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var counts = run.Start(file);
        var malformed = new List<CsvMalformedRecord>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            Mode = CsvMode.Rfc4180,
            TrackLineNumbers = true,
            MaxRecordSize = run.Options.MaxRecordBytes,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
            OnMalformedRecord = m => malformed.Add(m),
            PoolStrings = true, // repeated values (segment, csm, source, category, kind...) are one string each
        };
        CsvReader? csv = null;
        long line = 1;
        var begun = false;
        // Errors of this file, and those of them that belong to rows whose account is known (the ledger check skips
        // those accounts); any other error of arr_movements.csv leaves the ledgers unknown.
        var errorsBefore = run.ErrorCount;
        long errorsOfKnownAccounts = 0;
        var movements = spec.Table == "arr_movements";
        try
        {
            csv = CsvReader.Create(stream, options, leaveOpen: true);
            var rawHeader = csv.Headers;
            if (rawHeader is null || rawHeader.Count == 0 || rawHeader.All(h => h.Length == 0))
            {
                run.Error(file, 1, "", "", "empty file: a header row is required");
                return;
            }
            var header = rawHeader.Select((h, i) => i == 0 ? h.TrimStart('\uFEFF') : h).ToArray();
            if (header.Any(h => h.Any(ch => ch == '\uFFFD' || char.IsControl(ch))))
            {
                run.Error(file, 1, "", "", "the header row is not valid UTF-8 text (is this a CSV file? save it as UTF-8 CSV)");
                return;
            }
            var columns = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                if (!spec.CsvColumns.Contains(header[i]))
                    run.Warning($"{file}:1: unknown column \"{Printable(header[i])}\" ignored (known: {string.Join(", ", spec.CsvColumns)})");
                else if (!columns.TryAdd(header[i], i))
                    run.Error(file, 1, header[i], "", "column given twice");
            }
            var missing = spec.Required.Where(r => !columns.ContainsKey(r)).ToList();
            if (missing.Count > 0)
            {
                foreach (var m in missing)
                    run.Error(file, 1, m, "", $"required column missing (header names match exactly; required: {string.Join(", ", spec.Required)})");
                return;
            }

            sink.BeginFile(spec, counts);
            begun = true;
            // The keys of a file that later files refer to (References) are kept for the whole import; the others only
            // while their file is read (duplicates within it), then dropped: at 100,000 accounts without readings the
            // import's peak (VmHWM) went from 666 to 590 MB (the million keys each of evidence.csv and signals.csv).
            using var seen = spec.KeysInStore ? (IImportKeys)new DiskImportKeys()
                : new MemoryImportKeys(References.Referenced(file) ? run.Keys(file) : new Dictionary<string, long>(StringComparer.Ordinal));
            var row = new Row(file, csv, columns, run);
            while (csv.Read())
            {
                ct.ThrowIfCancellationRequested();
                line = csv.LineNumber;
                counts.Rows++;
                foreach (var m in malformed)
                    run.Error(file, m.LineNumber, "", "", $"malformed CSV ({Wire.ToSnake(m.Reason.ToString()).Replace('_', ' ')}): fields are comma-separated, quoted with \" and a quote inside a quoted field is doubled");
                var hadMalformed = malformed.Count > 0;
                malformed.Clear();
                if (counts.Rows > run.Options.MaxRows)
                {
                    run.Error(file, line, "", "", $"more than {run.Options.MaxRows:N0} rows: over the row limit; split the file or raise the limit");
                    return;
                }
                if (counts.Rows % ProgressEvery == 0) progress?.Report(new ImportProgress(file, counts.Rows, false, csv.ByteOffset, length));
                var rawRecord = csv.RawRecord;
                if (rawRecord.Length > run.Options.MaxRecordBytes)
                {
                    run.Error(file, line, "", "", $"record is {rawRecord.Length:N0} bytes, over the limit of {run.Options.MaxRecordBytes:N0} bytes (is a quote unbalanced?)");
                    continue;
                }
                if (!Utf8.IsValid(rawRecord))
                {
                    run.Error(file, line, "", "", "not valid UTF-8 text (save the file as UTF-8 CSV)");
                    continue;
                }
                if (hadMalformed) continue;
                if (csv.FieldCount != header.Length)
                {
                    run.Error(file, line, "", "", $"row has {csv.FieldCount} fields, the header has {header.Length} (check commas and quoting)");
                    continue;
                }
                var rowErrorsBefore = run.ErrorCount;
                row.Start(line);
                var values = spec.Parse(row, references);
                // A key is taken by its first row even when that row is bad, so that a second copy is reported too
                // (and rows that refer to it are not told it is unknown): only the row's own error is its real one.
                if (KeyOf(spec, values, row) is { } key && !seen.TryAdd(key, line, out var firstLine))
                    run.Error(file, line, spec.KeyDescription, string.Join(",", spec.KeyIndexes.Select(i => row.Text(spec.CsvColumns[i]).Trim())),
                        $"key given twice in this import (first on line {firstLine})");
                if (run.ErrorCount > rowErrorsBefore)
                {
                    if (movements && values[0] is string { Length: > 0 } account)
                    {
                        if (row.Failed) run.BadLedgers.Add(account);
                        errorsOfKnownAccounts += run.ErrorCount - rowErrorsBefore;
                    }
                    continue;
                }
                // Once an error is found the import will be refused: its rows are still checked, no longer written.
                if (run.ErrorCount == 0) sink.Add(values);
                if (movements) run.Movements.Add(new ImportedMovement((string)values[0]!, (string)values[1]!, (string)values[2]!, (long)values[3]!, line));
            }
            foreach (var m in malformed)
                run.Error(file, m.LineNumber, "", "", $"malformed CSV ({Wire.ToSnake(m.Reason.ToString()).Replace('_', ' ')}): fields are comma-separated, quoted with \" and a quote inside a quoted field is doubled");
            begun = false;
            sink.EndFile();
        }
        catch (FileTooLargeException)
        {
            run.Error(file, 1, "", "", TooLarge(null, run.Options.MaxFileBytes));
        }
        catch (CsvFormatException e)
        {
            var at = e.LineNumber > 0 ? e.LineNumber : line + 1;
            run.Error(file, at, "", "", $"unreadable CSV: {FirstLine(e.Message)} (records are limited to {run.Options.MaxRecordBytes:N0} bytes; is a quote unbalanced?)");
        }
        catch (InvalidDataException e)
        {
            run.Error(file, line + 1, "", "", $"unreadable CSV: {FirstLine(e.Message)}");
        }
        finally
        {
            if (movements && run.ErrorCount - errorsBefore > errorsOfKnownAccounts) run.LedgersUnknown = true;
            // A file that ends here unfinished refuses the import: the rollback restores anything its writer set aside.
            if (begun) sink.Abandon();
            csv?.Dispose();
            progress?.Report(new ImportProgress(file, counts.Rows, true, stream.Position, length));
        }
    }

    /// <summary>The key of a row, or null when a field of the key is missing or bad.</summary>
    private static string? KeyOf(FactEntry spec, object?[] values, Row row)
    {
        foreach (var i in spec.KeyIndexes)
        {
            if (values[i] is null or "" || row.FailedOn(spec.CsvColumns[i])) return null;
        }
        return spec.KeyIndexes.Count == 1 ? (string)values[spec.KeyIndexes[0]]! : CompositeKey(spec, values);
    }

    internal static string CompositeKey(FactEntry spec, object?[] values) =>
        string.Join('\u001f', spec.KeyIndexes.Select(i => Convert.ToString(values[i], CultureInfo.InvariantCulture)));

    private static string Printable(string s) => new(s.Select(ch => char.IsControl(ch) ? '?' : ch).Take(60).ToArray());

    /// <summary>
    /// A contraction larger than the ARR it applies to is bad input: replay the ledger of every account this import
    /// touches, its stored movements (read from the store as it was before the import) merged with the imported ones
    /// (a stored movement with the same key as an imported one is the same movement, counted once). Reported with the
    /// row errors, for every account whose movements are all known: not for one with a bad movement row (its ledger
    /// would be replayed without it), nor at all when a movement could not be read (whose account is unknown).
    /// </summary>
    internal static void CheckContractions(IStoredFacts stored, Run run)
    {
        if (run.Movements.Count == 0 || run.LedgersUnknown) return;
        var ledgers = new Dictionary<string, List<ImportedMovement>>(StringComparer.Ordinal);
        foreach (var m in run.Movements)
        {
            if (run.BadLedgers.Contains(m.Account)) continue;
            if (!ledgers.TryGetValue(m.Account, out var ledger)) ledgers[m.Account] = ledger = [];
            ledger.Add(m);
        }

        // Movements already stored for these accounts (line 0: not of this import).
        var before = new Dictionary<string, List<ImportedMovement>>(StringComparer.Ordinal);
        foreach (var m in stored.Movements(ledgers.Keys))
        {
            if (!ledgers.ContainsKey(m.Account)) continue;
            if (!before.TryGetValue(m.Account, out var list)) before[m.Account] = list = [];
            list.Add(m);
        }

        foreach (var (id, imported) in ledgers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var ledger = imported;
            if (before.TryGetValue(id, out var old))
            {
                var keys = imported.Select(m => (m.Date, m.Kind, m.Cents)).ToHashSet();
                ledger = [.. imported, .. old.Where(m => !keys.Contains((m.Date, m.Kind, m.Cents)))];
            }
            // The first line of this import that touches the account: where a problem of its stored movements is reported.
            var accountLine = imported.Min(m => m.Line);
            long arr = 0, gross = 0;
            foreach (var m in ledger.OrderBy(m => m.Date, StringComparer.Ordinal).ThenBy(m => KindOrder(m.Kind)))
            {
                if (m.Kind == "churn") { arr = 0; gross = 0; continue; }
                // SQL sums an account's movements since its last churn in any order: keep every partial sum within a long.
                gross += m.Cents;
                if (gross > Money.MaxCents * 2)
                {
                    Report(m, stored => $"the movements of account {id} up to {m.Date}{stored} add up to more than {Money.FromCents(Money.MaxCents * 2)}: amounts too large");
                    break;
                }
                if (m.Kind == "contraction")
                {
                    if (m.Cents > arr)
                        Report(m, stored => $"contraction of {Money.FromCents(m.Cents)} on {m.Date}{stored} is larger than the ARR it applies to ({Money.FromCents(arr)}) for account {id}");
                    arr -= m.Cents;
                }
                else arr += m.Cents;
            }

            // On the line of the movement, or for one already stored, on the first line of this import for the account.
            void Report(ImportedMovement m, Func<string, string> message) =>
                run.Error("arr_movements.csv", m.Line > 0 ? m.Line : accountLine, "amount", Money.FromCents(m.Cents).ToString(CultureInfo.InvariantCulture),
                    message(m.Line > 0 ? "" : " (already stored)"));
        }
    }

    /// <summary>What the import's checks read of the store: whether an id is stored, and the stored movements of accounts.</summary>
    internal interface IStoredFacts : IDisposable
    {
        /// <summary>Whether table ("accounts" or "outcomes") holds a row with this id.</summary>
        bool Exists(string table, string id);

        /// <summary>The stored movements of these accounts (Line 0); may hold other accounts' too.</summary>
        IEnumerable<ImportedMovement> Movements(IReadOnlyCollection<string> accounts);
    }

    /// <summary>A movement of this import (Line &gt; 0) or one already stored (Line 0).</summary>
    internal sealed record ImportedMovement(string Account, string Date, string Kind, long Cents, long Line);

    private static int KindOrder(string kind) => kind switch { "new" => 0, "expansion" => 1, "contraction" => 2, _ => 3 };

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    internal sealed class RollbackSignal(ImportReport report) : Exception
    {
        public ImportReport Report { get; } = report;
    }

    /// <summary>State of one import run: counts, keys seen per file, errors, warnings.</summary>
    internal sealed class Run(ImportOptions options)
    {
        private readonly Dictionary<string, Dictionary<string, long>> _keys = new(StringComparer.Ordinal);

        public ImportOptions Options { get; } = options;
        public Dictionary<string, MutableCounts> Counts { get; } = new(StringComparer.Ordinal);
        /// <summary>The good rows of arr_movements.csv, for the ledger check.</summary>
        public List<ImportedMovement> Movements { get; } = [];
        /// <summary>Accounts with a bad row in arr_movements.csv: their ledger is not known.</summary>
        public HashSet<string> BadLedgers { get; } = new(StringComparer.Ordinal);
        /// <summary>arr_movements.csv has an error no account can be told of (a malformed record, a bad header...).</summary>
        public bool LedgersUnknown { get; set; }
        public List<ImportError> Errors { get; } = [];
        public List<string> Warnings { get; } = [];
        public long ErrorCount { get; private set; }
        public long WarningCount { get; private set; }

        public MutableCounts Start(string file) => Counts[file] = new MutableCounts(file);

        /// <summary>The keys of the good rows of a file in this import, with their lines.</summary>
        public Dictionary<string, long> Keys(string file)
        {
            if (!_keys.TryGetValue(file, out var keys)) _keys[file] = keys = new Dictionary<string, long>(StringComparer.Ordinal);
            return keys;
        }

        public Dictionary<string, long>? KeysOrNull(string file) => _keys.GetValueOrDefault(file);

        public void Error(string file, long line, string column, string value, string message)
        {
            ErrorCount++;
            if (Errors.Count < Options.MaxErrorsReported) Errors.Add(new ImportError(file, line, column, value, message));
        }

        public void Warning(string message)
        {
            WarningCount++;
            if (Warnings.Count < Options.MaxWarningsReported) Warnings.Add(message);
        }

        /// <summary>
        /// The report: on a refusal, per file only the rows read (nothing was inserted, updated or left unchanged);
        /// the first warnings, then how many more.
        /// </summary>
        public ImportReport Report(ImportSource source, bool committed)
        {
            var refused = ErrorCount > 0;
            var warnings = WarningCount > Warnings.Count
                ? [.. Warnings, string.Create(CultureInfo.InvariantCulture, $"... and {WarningCount - Warnings.Count:N0} more warnings")]
                : Warnings.ToList();
            return new(source.Description, Options.DryRun, committed,
                Counts.Values.Select(m => refused ? new FileCounts(m.File, m.Rows, 0, 0, 0) : m.Snapshot()).ToList(),
                Errors, ErrorCount, warnings, WarningCount);
        }
    }

    internal sealed class MutableCounts(string file)
    {
        public string File { get; } = file;
        public long Rows, Inserted, Updated, Unchanged;

        public FileCounts Snapshot() => new(File, Rows, Inserted, Updated, Unchanged);
    }

    /// <summary>Whether an account or an outcome exists: in this import (its good rows), or in the store.</summary>
    internal sealed class References(IStoredFacts stored, Run run)
    {
        /// <summary>Whether later files refer to the keys of this file (accounts, outcomes): those are kept in the run.</summary>
        public static bool Referenced(string file) => file is "accounts.csv" or "outcomes.csv";

        private readonly Dictionary<string, bool> _storedAccounts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, bool> _storedOutcomes = new(StringComparer.Ordinal);

        public bool AccountExists(string id) =>
            run.KeysOrNull("accounts.csv")?.ContainsKey(id) == true || Stored("accounts", _storedAccounts, id);

        public bool OutcomeExists(string id) =>
            run.KeysOrNull("outcomes.csv")?.ContainsKey(id) == true || Stored("outcomes", _storedOutcomes, id);

        private bool Stored(string table, Dictionary<string, bool> cache, string id)
        {
            if (cache.TryGetValue(id, out var known)) return known;
            var found = stored.Exists(table, id);
            if (cache.Count > 200_000) cache.Clear();
            cache[id] = found;
            return found;
        }
    }

    /// <summary>The SQLite store as the import's checks read it (the connection's snapshot).</summary>
    private sealed class SqliteStoredFacts(SqliteConnection c, SqliteTransaction tx) : IStoredFacts
    {
        private SqliteCommand? _account, _outcome;

        public bool Exists(string table, string id)
        {
            ref var cmd = ref table == "accounts" ? ref _account : ref _outcome;
            if (cmd is null)
            {
                cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = $"SELECT 1 FROM {(table == "accounts" ? "accounts" : "outcomes")} WHERE id = $id";
                cmd.Parameters.Add("$id", SqliteType.Text);
                cmd.Prepare();
            }
            cmd.Parameters[0].Value = id;
            return cmd.ExecuteScalar() is not null;
        }

        public IEnumerable<ImportedMovement> Movements(IReadOnlyCollection<string> accounts)
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            if (accounts.Count <= 2_000)
            {
                cmd.CommandText = "SELECT account_id, effective_date, kind, amount_cents FROM arr_movements WHERE account_id = $id";
                var id = cmd.Parameters.Add("$id", SqliteType.Text);
                foreach (var account in accounts)
                {
                    id.Value = account;
                    using var r = cmd.ExecuteReader();
                    while (r.Read()) yield return new ImportedMovement(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), 0);
                }
            }
            else
            {
                cmd.CommandText = "SELECT account_id, effective_date, kind, amount_cents FROM arr_movements";
                using var r = cmd.ExecuteReader();
                while (r.Read()) yield return new ImportedMovement(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), 0);
            }
        }

        public void Dispose()
        {
            _account?.Dispose();
            _outcome?.Dispose();
        }
    }

    /// <summary>One CSV row with typed, validated access to its fields. One instance per file, moved from row to row.</summary>
    internal sealed class Row(string file, CsvReader csv, Dictionary<string, int> columns, Run run)
    {
        private readonly List<string> _failed = [];
        private long _line;

        public bool Failed => _failed.Count > 0;
        public string File => file;
        public long Line => _line;

        public void Start(long line)
        {
            _line = line;
            _failed.Clear();
        }

        public void Fail(string column, string value, string message)
        {
            _failed.Add(column);
            run.Error(file, _line, column, value, message);
        }

        /// <summary>Whether a field of this row was reported bad.</summary>
        public bool FailedOn(string column) => _failed.Contains(column);

        /// <summary>Reports every rule of its kind the row's fact breaks (FactRules: the same rules as the write tools').</summary>
        public void Check<T>(FactKind<T> kind, T fact)
        {
            var broken = kind.Check(fact);
            for (var i = 0; i < broken.Count; i++) Fail(broken[i].Field, broken[i].Value, broken[i].Message);
        }

        public string Text(string column, bool required = false)
        {
            if (!columns.TryGetValue(column, out var i)) return "";
            var span = csv.GetSpan(i);
            // Control characters are checked on the UTF-8 bytes: C0 (below 0x20, but tab and line breaks), DEL, and C1 (U+0080-U+009F: C2 80-9F).
            for (var k = 0; k < span.Length; k++)
            {
                var b = span[k];
                if ((b < 0x20 && b is not ((byte)'\n' or (byte)'\r' or (byte)'\t')) || b == 0x7F || (b == 0xC2 && k + 1 < span.Length && span[k + 1] is >= 0x80 and <= 0x9F))
                {
                    var ch = b == 0xC2 ? (char)span[k + 1] : (char)b;
                    Fail(column, "", $"contains a control character (U+{(int)ch:X4}); text fields accept printable text, tabs and line breaks");
                    return "";
                }
            }
            var v = span.Length == 0 ? "" : csv.GetString(i);
            if (required && v.Trim().Length == 0) { Fail(column, v, "required: must not be empty"); return ""; }
            return v;
        }

        public string Id(string column) => Text(column, required: true).Trim();

        /// <summary>The date as stored (ISO text), and as a day; null (and the default day) when empty or bad.</summary>
        public string? Date(string column, bool required, out DateOnly d)
        {
            d = default;
            var v = Text(column, required).Trim();
            if (v.Length == 0) return null;
            if (!DateOnly.TryParseExact(v, FactReader.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out d))
            {
                Fail(column, v, "not a date: dates are ISO yyyy-MM-dd, e.g. 2026-03-31");
                return null;
            }
            // Ten characters with the dashes in place are already the ISO form (saves a string per date).
            return v.Length == 10 && v[4] == '-' && v[7] == '-' ? v : FactReader.Iso(d);
        }

        /// <summary>A number (its range is a rule of its fact kind: FactRules).</summary>
        public decimal? Number(string column, bool required = false)
        {
            var v = Text(column, required).Trim();
            if (v.Length == 0) return null;
            if (!decimal.TryParse(v, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
            {
                Fail(column, v, "not a number: use digits with '.' as the decimal point and no thousands separator, e.g. 1250.50");
                return null;
            }
            return d;
        }

        public string? OneOf(string column, IReadOnlyList<string> accepted, bool required)
        {
            var v = Text(column, required).Trim();
            if (v.Length == 0) return null;
            for (var i = 0; i < accepted.Count; i++)
            {
                if (string.Equals(accepted[i], v, StringComparison.OrdinalIgnoreCase)) return accepted[i];
            }
            Fail(column, v, $"unknown value; accepted: {string.Join(", ", accepted)}");
            return null;
        }
    }
}

/// <summary>A read-only view of a stream that refuses to read past a number of bytes, and counts what it read.</summary>
internal sealed class LimitedStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        return Count(n);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        if (_read > limit) throw new FileTooLargeException();
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class FileTooLargeException : Exception;
