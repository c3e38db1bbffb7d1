using System.Globalization;
using System.Text;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The demo portfolio CSVs read with a tiny RFC 4180 reader and the figures of domain.md recomputed by hand,
/// independently of the production code (Store and Scoring are not used here).
/// </summary>
public sealed class DemoFacts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public required IReadOnlyList<IReadOnlyDictionary<string, string>> Accounts { get; init; }
    public required IReadOnlyList<IReadOnlyDictionary<string, string>> Movements { get; init; }
    public required IReadOnlyList<IReadOnlyDictionary<string, string>> Outcomes { get; init; }
    public required IReadOnlyList<IReadOnlyDictionary<string, string>> Evidence { get; init; }
    public required IReadOnlyList<IReadOnlyDictionary<string, string>> Signals { get; init; }

    public static DemoFacts Load(string folder) => new()
    {
        Accounts = Csv.Load(Path.Combine(folder, "accounts.csv")),
        Movements = Csv.Load(Path.Combine(folder, "arr_movements.csv")),
        Outcomes = Csv.Load(Path.Combine(folder, "outcomes.csv")),
        Evidence = Csv.Load(Path.Combine(folder, "evidence.csv")),
        Signals = Csv.Load(Path.Combine(folder, "signals.csv")),
    };

    public static DateOnly Date(string s) => DateOnly.ParseExact(s.Trim(), "yyyy-MM-dd", Inv);
    public static decimal Dec(string s) => decimal.Parse(s.Trim(), NumberStyles.Number, Inv);
    public static decimal? OptDec(string s) => s.Trim().Length == 0 ? null : Dec(s);

    private static int KindOrder(string kind) => kind.Trim().ToLowerInvariant() switch
    {
        "new" => 0,
        "expansion" => 1,
        "contraction" => 2,
        "churn" => 3,
        var k => throw new InvalidDataException($"arr_movements.csv: unknown kind {k}"),
    };

    /// <summary>
    /// Every account's ARR at asOf: movements dated on or before asOf, one day's in the order new, expansion,
    /// contraction, churn; new and expansion add, contraction subtracts, churn brings it to 0.
    /// </summary>
    public IReadOnlyDictionary<string, decimal> ArrAt(DateOnly asOf)
    {
        var arr = Accounts.ToDictionary(a => a["id"], _ => 0m, StringComparer.Ordinal);
        var ordered = Movements
            .Select((m, i) => (m, i, date: Date(m["effective_date"]), order: KindOrder(m["kind"])))
            .Where(x => x.date <= asOf)
            .OrderBy(x => x.date).ThenBy(x => x.order).ThenBy(x => x.i);
        foreach (var (m, _, _, order) in ordered)
        {
            var id = m["account_id"];
            arr[id] = order switch
            {
                0 or 1 => arr.GetValueOrDefault(id) + Dec(m["amount"]),
                2 => arr.GetValueOrDefault(id) - Dec(m["amount"]),
                _ => 0m, // churn: whatever its amount (often empty)
            };
        }
        return arr;
    }

    /// <summary>Ids of the accounts active at asOf (ARR above 0).</summary>
    public IReadOnlyDictionary<string, decimal> ActiveAt(DateOnly asOf) =>
        ArrAt(asOf).Where(kv => kv.Value > 0m).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Account(string id) => Accounts.Single(a => a["id"] == id);

    /// <summary>The outcomes of an account promised on or before asOf, with whether each is evidenced at asOf.</summary>
    public IReadOnlyList<(string Id, bool Evidenced)> OutcomesOf(string accountId, DateOnly asOf)
    {
        var evidenceByOutcome = Evidence
            .Where(e => Date(e["captured_at"]) <= asOf)
            .ToLookup(e => e["outcome_id"], StringComparer.Ordinal);
        return Outcomes
            .Where(o => o["account_id"] == accountId && Date(o["promised_at"]) <= asOf)
            .Select(o => (o["id"], evidenceByOutcome[o["id"]].Any(e => Achieves(e, o))))
            .ToList();
    }

    /// <summary>
    /// domain.md: achieved true achieves; achieved false never does; achieved empty: the observed value meets the
    /// target in the outcome's direction (increase: >=, decrease: <=).
    /// </summary>
    public static bool Achieves(IReadOnlyDictionary<string, string> evidence, IReadOnlyDictionary<string, string> outcome)
    {
        var achieved = evidence["achieved"].Trim().ToLowerInvariant();
        if (achieved == "true") return true;
        if (achieved == "false") return false;
        var observed = OptDec(evidence["observed_value"]);
        var target = OptDec(outcome["target"]);
        if (observed is null || target is null) return false;
        return outcome["direction"].Trim().ToLowerInvariant() switch
        {
            "increase" => observed >= target,
            "decrease" => observed <= target,
            _ => false,
        };
    }

    /// <summary>A strict enough RFC 4180 reader (quoted fields, doubled quotes, LF or CRLF line ends).</summary>
    public static class Csv
    {
        public static IReadOnlyList<IReadOnlyDictionary<string, string>> Load(string path)
        {
            var text = File.ReadAllText(path, new UTF8Encoding(false));
            if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
            var records = Parse(text);
            if (records.Count == 0) throw new InvalidDataException($"{path}: empty");
            var header = records[0];
            var rows = new List<IReadOnlyDictionary<string, string>>(records.Count - 1);
            for (var i = 1; i < records.Count; i++)
            {
                if (records[i].Count == 1 && records[i][0].Length == 0) continue;
                if (records[i].Count != header.Count)
                    throw new InvalidDataException($"{path}: record {i + 1} has {records[i].Count} fields, the header {header.Count}");
                var row = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var c = 0; c < header.Count; c++) row[header[c]] = records[i][c];
                rows.Add(row);
            }
            return rows;
        }

        private static List<List<string>> Parse(string text)
        {
            var records = new List<List<string>>();
            var record = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var any = false;
            for (var i = 0; i < text.Length; i++)
            {
                var ch = text[i];
                if (quoted)
                {
                    if (ch != '"') { field.Append(ch); continue; }
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; continue; }
                    quoted = false;
                    continue;
                }
                switch (ch)
                {
                    case '"': quoted = true; any = true; break;
                    case ',': record.Add(field.ToString()); field.Clear(); any = true; break;
                    case '\r': break;
                    case '\n':
                        record.Add(field.ToString()); field.Clear();
                        records.Add(record); record = []; any = false;
                        break;
                    default: field.Append(ch); any = true; break;
                }
            }
            if (any || field.Length > 0) { record.Add(field.ToString()); records.Add(record); }
            return records;
        }
    }
}
