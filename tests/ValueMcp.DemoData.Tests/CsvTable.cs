using System.Text;

namespace ValueMcp.DemoData.Tests;

/// <summary>A tiny strict RFC 4180 reader for the tests (independent of any production code).</summary>
internal sealed class CsvTable
{
    public required string File { get; init; }
    public required IReadOnlyList<string> Header { get; init; }
    public required IReadOnlyList<IReadOnlyDictionary<string, string>> Rows { get; init; }

    public static CsvTable Load(string path)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            throw new InvalidDataException($"{path}: has a BOM");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        var records = Parse(text, path);
        var header = records[0];
        var rows = new List<IReadOnlyDictionary<string, string>>(records.Count - 1);
        for (var i = 1; i < records.Count; i++)
        {
            if (records[i].Count != header.Count)
                throw new InvalidDataException($"{path}: record {i + 1} has {records[i].Count} fields, header has {header.Count}");
            var row = new Dictionary<string, string>(header.Count, StringComparer.Ordinal);
            for (var c = 0; c < header.Count; c++) row[header[c]] = records[i][c];
            rows.Add(row);
        }
        return new CsvTable { File = Path.GetFileName(path), Header = header, Rows = rows };
    }

    private static List<List<string>> Parse(string text, string path)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var quoted = false;
        var fieldStarted = false;
        while (i < text.Length)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    quoted = false;
                    i++;
                    if (i < text.Length && text[i] != ',' && text[i] != '\n')
                        throw new InvalidDataException($"{path}: character after closing quote at offset {i}");
                    continue;
                }
                field.Append(ch);
                i++;
                continue;
            }
            switch (ch)
            {
                case '"' when !fieldStarted:
                    quoted = true; fieldStarted = true; i++; break;
                case '"':
                    throw new InvalidDataException($"{path}: bare quote at offset {i}");
                case ',':
                    record.Add(field.ToString()); field.Clear(); fieldStarted = false; i++; break;
                case '\r':
                    throw new InvalidDataException($"{path}: CR at offset {i} (LF line endings expected)");
                case '\n':
                    record.Add(field.ToString()); field.Clear(); fieldStarted = false;
                    records.Add(record); record = []; i++; break;
                default:
                    field.Append(ch); fieldStarted = true; i++; break;
            }
        }
        if (quoted) throw new InvalidDataException($"{path}: unterminated quote");
        if (fieldStarted || record.Count > 0) throw new InvalidDataException($"{path}: last line does not end with LF");
        return records;
    }
}

/// <summary>The six files of a generated folder.</summary>
internal sealed class PortfolioFiles
{
    public required CsvTable Accounts { get; init; }
    public required CsvTable Movements { get; init; }
    public required CsvTable Outcomes { get; init; }
    public required CsvTable Evidence { get; init; }
    public required CsvTable Signals { get; init; }
    public required CsvTable Milestones { get; init; }

    public static PortfolioFiles Load(string folder) => new()
    {
        Accounts = CsvTable.Load(Path.Combine(folder, "accounts.csv")),
        Movements = CsvTable.Load(Path.Combine(folder, "arr_movements.csv")),
        Outcomes = CsvTable.Load(Path.Combine(folder, "outcomes.csv")),
        Evidence = CsvTable.Load(Path.Combine(folder, "evidence.csv")),
        Signals = CsvTable.Load(Path.Combine(folder, "signals.csv")),
        Milestones = CsvTable.Load(Path.Combine(folder, "milestones.csv")),
    };
}
