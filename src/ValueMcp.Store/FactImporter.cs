using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using System.Text.Unicode;
using ValueMcp.Scoring;
using Microsoft.Data.Sqlite;

namespace ValueMcp.Store;

/// <summary>
/// Loads a folder of CSV exports (../shared/spec/import.md): strict, all or nothing in one transaction,
/// keyed upserts with per-file counts, referential checks, every bad row reported as FILE:LINE: COLUMN: message.
/// </summary>
public sealed class FactImporter(Database db)
{
    /// <summary>Files in load order: what a row refers to is loaded before it.</summary>
    public static readonly IReadOnlyList<string> FileOrder =
        ["accounts.csv", "arr_movements.csv", "outcomes.csv", "evidence.csv", "signals.csv", "milestones.csv"];

    public ImportReport Import(ImportSource source, ImportOptions options, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        if (source.Files.Count == 0)
            throw new StoreException($"no import files in {source.Description}; expected one or more of: {string.Join(", ", FileOrder)}");
        if (options.DryRun && db.ReadOnly) { /* a dry run only reads */ }

        var run = new Run(options);
        // Size limits are checked before anything is read or written.
        foreach (var file in source.Files)
        {
            var (_, length) = source.Get(file);
            if (length is long n && n > options.MaxFileBytes)
                run.Error(file, 0, "", "", $"file is {n:N0} bytes, over the limit of {options.MaxFileBytes:N0} bytes; split it or raise the limit");
        }
        if (run.ErrorCount > 0) return run.Report(source, committed: false);

        try
        {
            return db.Write((c, tx) =>
            {
                foreach (var file in source.Files)
                {
                    ct.ThrowIfCancellationRequested();
                    var spec = Specs.For(file);
                    using var stream = source.Get(file).Open();
                    LoadFile(c, tx, file, spec, stream, run, progress, ct);
                }
                if (run.ErrorCount == 0) CheckContractions(c, tx, run);
                var commit = run.ErrorCount == 0 && !options.DryRun;
                if (commit)
                {
                    Audit.Append(c, tx, "import", JsonSerializer.Serialize(new
                    {
                        source = source.Description,
                        files = run.Counts.Values.Select(f => new { file = f.File, rows = f.Rows, inserted = f.Inserted, updated = f.Updated, unchanged = f.Unchanged }),
                    }), options.Author);
                    return run.Report(source, committed: true);
                }
                throw new RollbackSignal(run.Report(source, committed: false));
            });
        }
        catch (RollbackSignal r)
        {
            return r.Report;
        }
    }

    private static void LoadFile(SqliteConnection c, SqliteTransaction tx, string file, FileSpec spec, Stream stream, Run run,
        IProgress<ImportProgress>? progress, CancellationToken ct)
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
        };
        using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        var upsert = new Upsert(c, tx, spec);
        long line = 1;
        try
        {
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
                if (!spec.Columns.Contains(header[i]))
                    run.Warning($"{file}:1: unknown column \"{Printable(header[i])}\" ignored (known: {string.Join(", ", spec.Columns)})");
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
            var seen = new Dictionary<string, long>(StringComparer.Ordinal);
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
                if (csv.RawRecord.Length > run.Options.MaxRecordBytes)
                {
                    run.Error(file, line, "", "", $"record is {csv.RawRecord.Length:N0} bytes, over the limit of {run.Options.MaxRecordBytes:N0} bytes (is a quote unbalanced?)");
                    continue;
                }
                if (!Utf8.IsValid(csv.RawRecord))
                {
                    run.Error(file, line, "", "", "not valid UTF-8 text (save the file as UTF-8 CSV)");
                    continue;
                }
                if (hadMalformed) continue;
                var row = new Row(file, line, csv, columns, run);
                if (csv.FieldCount != header.Length)
                {
                    run.Error(file, line, "", "", $"row has {csv.FieldCount} fields, the header has {header.Length} (check commas and quoting)");
                    continue;
                }
                var values = spec.Parse(row, upsert);
                if (values is null || row.Failed) continue;
                var key = string.Join('\u001f', spec.KeyIndexes.Select(i => Convert.ToString(values[i], CultureInfo.InvariantCulture)));
                if (!seen.TryAdd(key, line))
                {
                    run.Error(file, line, spec.KeyDescription, string.Join(",", spec.KeyIndexes.Select(i => row.Text(spec.Columns[i]).Trim())),
                        $"key given twice in this import (first on line {seen[key]})");
                    continue;
                }
                switch (upsert.Apply(values))
                {
                    case UpsertResult.Inserted: counts.Inserted++; break;
                    case UpsertResult.Updated: counts.Updated++; break;
                    default: counts.Unchanged++; break;
                }
                if (spec.Table == "arr_movements") run.MovementLines[key] = line;
                if (counts.Rows % 50_000 == 0) progress?.Report(new ImportProgress(file, counts.Rows, false));
            }
            foreach (var m in malformed)
                run.Error(file, m.LineNumber, "", "", $"malformed CSV ({Wire.ToSnake(m.Reason.ToString()).Replace('_', ' ')}): fields are comma-separated, quoted with \" and a quote inside a quoted field is doubled");
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
            progress?.Report(new ImportProgress(file, counts.Rows, true));
        }
    }

    private static string Printable(string s) => new(s.Select(ch => char.IsControl(ch) ? '?' : ch).Take(60).ToArray());

    /// <summary>A contraction larger than the ARR it applies to is bad input: replay every touched account's ledger.</summary>
    private static void CheckContractions(SqliteConnection c, SqliteTransaction tx, Run run)
    {
        if (run.MovementLines.Count == 0) return;
        // The first line of this import that touches each account: where a problem of its stored movements is reported.
        var firstLines = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (movement, movementLine) in run.MovementLines)
        {
            var id = movement[..movement.IndexOf('\u001f')];
            if (!firstLines.TryGetValue(id, out var first) || movementLine < first) firstLines[id] = movementLine;
        }
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT account_id, effective_date, kind, amount_cents FROM arr_movements
            ORDER BY account_id, effective_date, CASE kind WHEN 'new' THEN 0 WHEN 'expansion' THEN 1 WHEN 'contraction' THEN 2 ELSE 3 END
            """;
        using var r = cmd.ExecuteReader();
        string? account = null;
        long arr = 0, gross = 0;
        while (r.Read())
        {
            var id = r.GetString(0);
            if (!firstLines.TryGetValue(id, out var accountLine)) continue;
            if (id != account) { account = id; arr = 0; gross = 0; }
            var kind = r.GetString(2);
            var cents = r.GetInt64(3);
            if (kind == "churn") { arr = 0; gross = 0; continue; }
            // SQL sums an account's movements since its last churn in any order: keep every partial sum within a long.
            gross += cents;
            if (gross > Money.MaxCents * 2)
            {
                Report(stored => $"the movements of account {id} up to {r.GetString(1)}{stored} add up to more than {Money.FromCents(Money.MaxCents * 2)}: amounts too large");
                return;
            }
            if (kind == "contraction")
            {
                if (cents > arr)
                    Report(stored => $"contraction of {Money.FromCents(cents)} on {r.GetString(1)}{stored} is larger than the ARR it applies to ({Money.FromCents(arr)}) for account {id}");
                arr -= cents;
            }
            else arr += cents;

            // On the line of the movement, or for one already stored, on the first line of this import for the account.
            void Report(Func<string, string> message)
            {
                var key = string.Join('\u001f', id, r.GetString(1), kind, cents.ToString(CultureInfo.InvariantCulture));
                var imported = run.MovementLines.TryGetValue(key, out var lineNo);
                run.Error("arr_movements.csv", imported ? lineNo : accountLine, "amount", Money.FromCents(cents).ToString(CultureInfo.InvariantCulture),
                    message(imported ? "" : " (already stored)"));
            }
        }
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    private sealed class RollbackSignal(ImportReport report) : Exception
    {
        public ImportReport Report { get; } = report;
    }

    /// <summary>State of one import run: counts, errors, warnings.</summary>
    internal sealed class Run(ImportOptions options)
    {
        public ImportOptions Options { get; } = options;
        public Dictionary<string, MutableCounts> Counts { get; } = new(StringComparer.Ordinal);
        public List<ImportError> Errors { get; } = [];
        public List<string> Warnings { get; } = [];
        public long ErrorCount { get; private set; }
        public Dictionary<string, long> MovementLines { get; } = new(StringComparer.Ordinal);

        public MutableCounts Start(string file) => Counts[file] = new MutableCounts(file);

        public void Error(string file, long line, string column, string value, string message)
        {
            ErrorCount++;
            if (Errors.Count < Options.MaxErrorsReported) Errors.Add(new ImportError(file, line, column, value, message));
        }

        public void Warning(string message) => Warnings.Add(message);

        public ImportReport Report(ImportSource source, bool committed) => new(
            source.Description, Options.DryRun, committed,
            Counts.Values.Select(m => new FileCounts(m.File, m.Rows, m.Inserted, m.Updated, m.Unchanged)).ToList(),
            Errors, ErrorCount, Warnings);
    }

    internal sealed class MutableCounts(string file)
    {
        public string File { get; } = file;
        public long Rows, Inserted, Updated, Unchanged;
    }

    /// <summary>One CSV row with typed, validated access to its fields.</summary>
    internal sealed class Row(string file, long line, CsvReader csv, Dictionary<string, int> columns, Run run)
    {
        public bool Failed { get; private set; }
        public string File => file;
        public long Line => line;

        public void Fail(string column, string value, string message)
        {
            Failed = true;
            run.Error(file, line, column, value, message);
        }

        public string Text(string column, bool required = false)
        {
            if (!columns.TryGetValue(column, out var i)) return "";
            var v = csv.FieldCount > i ? csv.GetString(i) : "";
            if (required && v.Trim().Length == 0) { Fail(column, v, "required: must not be empty"); return ""; }
            foreach (var ch in v)
            {
                if (char.IsControl(ch) && ch is not ('\n' or '\r' or '\t'))
                {
                    Fail(column, "", $"contains a control character (U+{(int)ch:X4}); text fields accept printable text, tabs and line breaks");
                    return "";
                }
            }
            return v;
        }

        public string Id(string column) => Text(column, required: true).Trim();

        public string? Date(string column, bool required)
        {
            var v = Text(column, required).Trim();
            if (v.Length == 0) return null;
            if (!DateOnly.TryParseExact(v, FactReader.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                Fail(column, v, "not a date: dates are ISO yyyy-MM-dd, e.g. 2026-03-31");
                return null;
            }
            return FactReader.Iso(d);
        }

        public decimal? Number(string column, bool required = false, decimal? min = null, bool minExclusive = false)
        {
            var v = Text(column, required).Trim();
            if (v.Length == 0) return null;
            if (!decimal.TryParse(v, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
            {
                Fail(column, v, "not a number: use digits with '.' as the decimal point and no thousands separator, e.g. 1250.50");
                return null;
            }
            if (min is decimal m && (minExclusive ? d <= m : d < m))
            {
                Fail(column, v, minExclusive ? $"must be above {m}" : $"must be {m} or more");
                return null;
            }
            return d;
        }

        public string? OneOf(string column, IReadOnlyList<string> accepted, bool required)
        {
            var v = Text(column, required).Trim();
            if (v.Length == 0) return null;
            var match = accepted.FirstOrDefault(a => string.Equals(a, v, StringComparison.OrdinalIgnoreCase));
            if (match is null) Fail(column, v, $"unknown value; accepted: {string.Join(", ", accepted)}");
            return match;
        }
    }
}
