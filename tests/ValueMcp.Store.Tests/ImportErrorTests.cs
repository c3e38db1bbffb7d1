using Xunit.Abstractions;
using System.Text;
using System.Text.RegularExpressions;

namespace ValueMcp.Store.Tests;

/// <summary>
/// Every kind of bad input is reported as FILE:LINE: COLUMN: message (LINE being the physical line where the record
/// starts, the header being line 1), and nothing at all is written.
/// </summary>
public sealed partial class ImportErrorTests(ITestOutputHelper output)
{
    private const string A = Csv.AccountsHeader;
    private const string M = Csv.MovementsHeader;

    /// <summary>A bad import: its files, the start of the error expected, and the options to import with.</summary>
    public sealed record BadCase(Dictionary<string, byte[]> Files, string Expected, ImportOptions? Options = null);

    private static Dictionary<string, byte[]> Text(string file, string text) => new() { [file] = Utf8(text) };

    private static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);

    private static BadCase Accounts(string badRow, string expected) =>
        new(Text("accounts.csv", Csv.Lines(A, Csv.Account("A3"), badRow)), expected);

    private static BadCase Movements(string badRow, string expected) =>
        new(Text("arr_movements.csv", Csv.Lines(M, "A1,2025-07-01,expansion,100,modules,", badRow)), expected);

    private static BadCase File(string file, string header, string badRow, string expected) =>
        new(Text(file, Csv.Lines(header, badRow)), expected);

    private static readonly Dictionary<string, BadCase> Cases = new()
    {
        ["bad date"] = Accounts("A4,Acme,,,,,2025-13-01,2026-12-31,,,", "accounts.csv:3: contract_start: not a date"),
        ["date not ISO"] = Accounts("A4,Acme,,,,,2025-01-01,31/12/2026,,,", "accounts.csv:3: renewal_date: not a date"),
        ["required field empty"] = Accounts("A4,  ,,,,,2025-01-01,2026-12-31,,,", "accounts.csv:3: name: required"),
        ["tier not 1 2 or 3"] = Accounts("A4,Acme,,4,,,2025-01-01,2026-12-31,,,", "accounts.csv:3: tier: unknown value"),
        ["negative capacity"] = Accounts("A4,Acme,,,,,2025-01-01,2026-12-31,-1,,", "accounts.csv:3: contracted_capacity: must be 0 or more"),
        ["control character in a text field"] = Accounts("A4,Ac\u0001me,,,,,2025-01-01,2026-12-31,,,", "accounts.csv:3: name: contains a control character"),
        ["wrong number of fields"] = Accounts("A4,Acme,,,,,2025-01-01,2026-12-31,,,,extra", "accounts.csv:3: row has 12 fields"),
        ["key given twice"] = Accounts(Csv.Account("A3"), "accounts.csv:3: id: key given twice in this import (first on line 2)"),
        ["renewal date before contract start"] = Accounts("A4,Acme,,,,,2025-06-01,2025-05-31,,,",
            "accounts.csv:3: renewal_date: is before contract_start (2025-06-01); accepted: a date on or after it (got \"2025-05-31\")"),

        ["amount not a number"] = Movements("A1,2025-07-01,new,abc,,", "arr_movements.csv:3: amount: not a number"),
        ["amount with a thousands separator"] = Movements("A1,2025-07-01,new,\"1,000\",,", "arr_movements.csv:3: amount: not a number"),
        ["amount negative"] = Movements("A1,2025-07-01,new,-5,,", "arr_movements.csv:3: amount: must be above 0"),
        ["amount zero for new"] = Movements("A1,2025-07-01,new,0,,", "arr_movements.csv:3: amount: must be above 0"),
        ["amount zero for contraction"] = Movements("A1,2025-07-01,contraction,0,,", "arr_movements.csv:3: amount: must be above 0"),
        ["amount missing for expansion"] = Movements("A1,2025-07-01,expansion,,,", "arr_movements.csv:3: amount: required"),
        ["amount negative for churn"] = Movements("A1,2025-07-01,churn,-1,,", "arr_movements.csv:3: amount: must be 0 or more"),
        ["amount with 3 decimals"] = Movements("A1,2025-07-01,expansion,100.125,,", "arr_movements.csv:3: amount: at most 2 decimal places"),
        ["amount too large"] = Movements("A1,2025-07-01,expansion,79228162514264337593543950335,,", "arr_movements.csv:3: amount: too large"),
        ["unknown kind"] = Movements("A1,2025-07-01,upsell,100,,", "arr_movements.csv:3: kind: unknown value"),
        ["unknown lane"] = Movements("A1,2025-07-01,expansion,100,consulting,", "arr_movements.csv:3: lane: unknown value"),
        ["unknown account of a movement"] = Movements("ZZ,2025-07-01,new,100,,", "arr_movements.csv:3: account_id: unknown account"),
        ["movement given twice"] = Movements("A1,2025-07-01,expansion,100.00,modules,again", "arr_movements.csv:3: account_id+effective_date+kind+amount: key given twice in this import (first on line 2) (got \"A1,2025-07-01,expansion,100.00\")"),
        ["contraction larger than the arr"] = Movements("A2,2025-03-01,contraction,15000.01,,", "arr_movements.csv:3: amount: contraction of 15000.01 on 2025-03-01 is larger than the ARR it applies to (15000"),
        ["contraction after churn"] = new(Text("arr_movements.csv", Csv.Lines(M, "A2,2025-04-01,churn,,,", "A2,2025-05-01,contraction,10,,")),
            "arr_movements.csv:3: amount: contraction of 10 on 2025-05-01 is larger than the ARR it applies to (0"),

        ["unknown account of an outcome"] = File("outcomes.csv", Csv.OutcomesHeader, "O9,ZZ,Go live,,,,,,2025-01-01,,", "outcomes.csv:2: account_id: unknown account"),
        ["target without direction"] = File("outcomes.csv", Csv.OutcomesHeader, "O9,A1,Grow,m,u,0,10,,2025-01-01,,", "outcomes.csv:2: direction: required when a target is given"),
        ["unknown direction"] = File("outcomes.csv", Csv.OutcomesHeader, "O9,A1,Grow,m,u,0,10,up,2025-01-01,,", "outcomes.csv:2: direction: unknown value"),
        ["due date before the promise"] = File("outcomes.csv", Csv.OutcomesHeader, "O9,A1,Go live,,,,,,2025-06-01,2025-05-31,",
            "outcomes.csv:2: due_date: is before promised_at (2025-06-01); accepted: a date on or after it (got \"2025-05-31\")"),
        ["target that does not move from the baseline in its direction"] = File("outcomes.csv", Csv.OutcomesHeader, "O9,A1,Grow,m,u,10,5,increase,2025-01-01,,",
            "outcomes.csv:2: target: does not increase from the baseline 10"),
        ["target out of range"] = File("outcomes.csv", Csv.OutcomesHeader, "O9,A1,Grow,m,u,0,2000000000000,increase,2025-01-01,,",
            "outcomes.csv:2: target: is out of range; accepted: -1,000,000,000,000 to 1,000,000,000,000"),
        ["target not a number"] = File("outcomes.csv", Csv.OutcomesHeader, "O9,A1,Grow,m,u,0,ten,increase,2025-01-01,,", "outcomes.csv:2: target: not a number"),

        ["unknown outcome of evidence"] = File("evidence.csv", Csv.EvidenceHeader, "E9,O9,2025-03-01,usage,,true,,", "evidence.csv:2: outcome_id: unknown outcome"),
        ["observed value out of range"] = File("evidence.csv", Csv.EvidenceHeader, "E9,O1,2025-03-01,usage,-2000000000000,,,",
            "evidence.csv:2: observed_value: is out of range"),
        ["achieved yes"] = File("evidence.csv", Csv.EvidenceHeader, "E9,O1,2025-03-01,usage,,yes,,", "evidence.csv:2: achieved: accepted: true, false or empty"),
        ["unknown evidence source"] = File("evidence.csv", Csv.EvidenceHeader, "E9,O1,2025-03-01,crm,,true,,", "evidence.csv:2: source: unknown value"),

        ["unknown category"] = File("signals.csv", Csv.SignalsHeader, "S9,A1,2025-03-01,vibes,x,+1,", "signals.csv:2: category: unknown value"),
        ["polarity 2"] = File("signals.csv", Csv.SignalsHeader, "S9,A1,2025-03-01,usage,x,2,", "signals.csv:2: polarity: accepted: +1, 1 or -1"),
        ["polarity missing"] = File("signals.csv", Csv.SignalsHeader, "S9,A1,2025-03-01,usage,x,,", "signals.csv:2: polarity: required"),
        ["unknown account of a signal"] = File("signals.csv", Csv.SignalsHeader, "S9,ZZ,2025-03-01,usage,x,1,", "signals.csv:2: account_id: unknown account"),

        ["unknown milestone kind"] = File("milestones.csv", Csv.MilestonesHeader, "A1,signed,2025-03-01", "milestones.csv:2: kind: unknown value"),
        ["unknown account of a milestone"] = File("milestones.csv", Csv.MilestonesHeader, "ZZ,live,2025-03-01", "milestones.csv:2: account_id: unknown account"),
        ["milestone given twice"] = new(Text("milestones.csv", Csv.Lines(Csv.MilestonesHeader, "A2,live,2025-03-01", "A2,live,2025-04-01")),
            "milestones.csv:3: account_id+kind: key given twice"),

        ["unknown account of a metric reading"] = File("metrics.csv", Csv.MetricsHeader, "ZZ,wau,2025-03-01,10,pa", "metrics.csv:2: account_id: unknown account"),
        ["metric reading without a value"] = File("metrics.csv", Csv.MetricsHeader, "A1,wau,2025-03-01,,pa", "metrics.csv:2: value: required"),
        ["metric reading with a text value"] = File("metrics.csv", Csv.MetricsHeader, "A1,wau,2025-03-01,lots,pa", "metrics.csv:2: value: not a number"),
        ["metric reading without a metric"] = File("metrics.csv", Csv.MetricsHeader, "A1,,2025-03-01,10,pa", "metrics.csv:2: metric: required"),
        ["metric reading out of range"] = File("metrics.csv", Csv.MetricsHeader, "A1,wau,2025-03-01,2000000000000,pa", "metrics.csv:2: value: is out of range"),
        ["metric reading with a bad date"] = File("metrics.csv", Csv.MetricsHeader, "A1,wau,2025-13-01,10,pa", "metrics.csv:2: observed_at: not a date"),
        ["metric reading given twice"] = new(Text("metrics.csv", Csv.Lines(Csv.MetricsHeader, "A1,wau,2025-03-01,10,pa", "A1,wau,2025-03-08,11,pa", "A1,wau,2025-03-01,12,pa")),
            "metrics.csv:4: account_id+metric+observed_at: key given twice in this import (first on line 2)"),

        ["missing required column"] = new(Text("accounts.csv", "id,contract_start,renewal_date\nA4,2025-01-01,2026-12-31\n"), "accounts.csv:1: name: required column missing"),
        ["column given twice"] = new(Text("accounts.csv", "id,name,name,contract_start,renewal_date\nA4,x,y,2025-01-01,2026-12-31\n"), "accounts.csv:1: name: column given twice"),
        ["empty file"] = new(Text("accounts.csv", ""), "accounts.csv:1: empty or not a regular file"),

        ["a quoted line break moves the next record two lines down"] = new(
            Text("accounts.csv", Csv.Lines(A, "A3,\"Acme\nHoldings\",,,,,2025-01-01,2026-12-31,,,", "A4,Acme,,,,,2025-01-01,2026-12-31x,,,")),
            "accounts.csv:4: renewal_date: not a date"),
        ["quoted CRLF line breaks count as lines"] = new(
            Text("accounts.csv", A + "\r\n" + "A3,\"Acme\r\nHoldings\r\nGroup\",,,,,2025-01-01,2026-12-31,,,\r\n" + Csv.Account("A5") + "\r\nA4,Acme,,,,,2025-01-01,2026-12-31x,,,\r\n"),
            "accounts.csv:6: renewal_date: not a date"),
        ["a bad value with a line break stays on one line"] = new(
            Text("accounts.csv", Csv.Lines(A, "A4,Acme,,,,,\"2025-01-01\nmore\",2026-12-31,,,")), "accounts.csv:2: contract_start: not a date: dates are ISO yyyy-MM-dd, e.g. 2026-03-31 (got \"2025-01-01\\nmore\")"),
        ["unbalanced quote"] = new(
            Text("accounts.csv", Csv.Lines(A, Csv.Account("A3"), "A4,\"Acme,,,,,2025-01-01,2026-12-31,,,", Csv.Account("A5"))), "accounts.csv:3: "),
        ["text after a closing quote"] = new(
            Text("accounts.csv", Csv.Lines(A, Csv.Account("A3"), "A4,\"Acme\"x,,,,,2025-01-01,2026-12-31,,,")), "accounts.csv:3: "),
        ["invalid UTF-8"] = new(
            new() { ["accounts.csv"] = [.. Utf8(Csv.Lines(A, Csv.Account("A3"))), .. Utf8("A4,Ac"), 0xC3, 0x28, 0xFF, .. Utf8("me,,,,,2025-01-01,2026-12-31,,,\n")] },
            "accounts.csv:3: "),
        ["binary garbage"] = new(new() { ["signals.csv"] = Garbage() }, "signals.csv:1: the header row is not valid UTF-8 text"),
        ["invalid UTF-8 in the header"] = new(
            new() { ["accounts.csv"] = [.. Utf8("id,na"), 0xFF, .. Utf8("me,contract_start,renewal_date,x"), 0xC0, .. Utf8("\nA4,Acme,2025-01-01,2026-12-31,\n")] },
            "accounts.csv:1: the header row is not valid UTF-8 text"),
        ["a field larger than the record limit"] = new(
            Text("arr_movements.csv", Csv.Lines(M, "A1,2025-07-01,expansion,100,modules,", "A1,2025-07-02,expansion,100,modules," + new string('x', 2000), "A1,2025-07-03,expansion,100,modules,")),
            "arr_movements.csv:3: ", new ImportOptions { MaxRecordBytes = 1024 }),
        ["a large field without a closing quote"] = new(
            Text("arr_movements.csv", Csv.Lines(M, "A1,2025-07-01,expansion,100,modules,", "A1,2025-07-02,expansion,100,modules,\"" + new string('x', 200_000))),
            "arr_movements.csv:3: ", new ImportOptions { MaxRecordBytes = 1024 }),
    };

    private static byte[] Garbage()
    {
        var bytes = new byte[4096];
        new Random(20260101).NextBytes(bytes);
        bytes[0] = 0x00; // not a byte order mark
        return bytes;
    }

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys) data.Add(name);
        return data;
    }

    [GeneratedRegex(@"^(accounts|arr_movements|outcomes|evidence|signals|milestones|metrics)\.csv:[1-9][0-9]*: ([a-z_+]+: )?[^\r\n]+$")]
    private static partial Regex ErrorLine();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_bad_row_is_reported_in_compiler_form_and_nothing_is_written(string name)
    {
        var bad = Cases[name];
        using var t = new TempDatabase();
        t.ImportOk(ImportTests.Portfolio());
        var rows = t.Snapshot();
        var counts = t.Reader.Counts();

        var report = t.ImportBytes(bad.Files, bad.Options);

        report.Ok.Should().BeFalse();
        report.Committed.Should().BeFalse();
        report.ErrorCount.Should().Be(report.Errors.Count);
        var lines = report.Errors.Select(e => e.ToString()).ToList();
        foreach (var l in lines) output.WriteLine(l);
        lines.Should().AllSatisfy(l => l.Should().MatchRegex(ErrorLine().ToString()));
        lines.Should().ContainSingle();
        lines.Should().Contain(l => l.StartsWith(bad.Expected, StringComparison.Ordinal), $"expected an error starting with \"{bad.Expected}\"");
        t.Snapshot().Should().Equal(rows);
        t.Reader.Counts().Should().BeEquivalentTo(counts);
    }

    [Theory]
    [InlineData(1025, 0)]
    [InlineData(1025, 50)]
    [InlineData(1500, 0)]
    [InlineData(1500, 500)]
    [InlineData(2047, 0)]
    [InlineData(2100, 50)]
    [InlineData(70_000, 500)]
    public void A_record_over_the_limit_is_refused_wherever_it_falls_in_the_file(int bytes, int rowsBefore)
    {
        using var t = new TempDatabase();
        var rows = Enumerable.Range(0, rowsBefore).Select(i => Csv.Account($"P{i}"))
            .Append("BIG," + new string('x', bytes) + ",,,,,2025-01-01,2026-12-31,,,")
            .Append(Csv.Account("Z"))
            .ToArray();
        var report = t.Import(Csv.Files(accounts: rows), new ImportOptions { MaxRecordBytes = 1024 });
        report.Ok.Should().BeFalse();
        report.Errors.Select(e => e.ToString()).Should().ContainSingle().Which.Should().StartWith($"accounts.csv:{rowsBefore + 2}: ");
        t.Reader.Counts()["accounts"].Should().Be(0);
    }

    [Fact]
    public void A_record_at_the_limit_is_read()
    {
        using var t = new TempDatabase();
        var row = "BIG,,,,,,2025-01-01,2026-12-31,,,";
        row = row.Replace("BIG,", "BIG," + new string('x', 1024 - row.Length));
        row.Length.Should().Be(1024);
        t.ImportOk(Csv.Files(accounts: [row, Csv.Account("Z")]), new ImportOptions { MaxRecordBytes = 1024 });
    }

    [Fact]
    public void Amounts_whose_sum_would_overflow_are_refused_and_large_valid_ones_read_back()
    {
        using var t = new TempDatabase();
        var big = "20000000000000000";
        t.ImportOk(Csv.Files(accounts: [Csv.Account("A1")], movements: [$"A1,2025-01-01,new,{big},,", $"A1,2025-02-01,expansion,{big},,"]));
        t.Facts("A1", "2025-12-31").Arr.Should().Be(40_000_000_000_000_000m);

        var report = t.Import(Csv.Files(movements: [$"A1,2025-03-01,expansion,{big},,", $"A1,2025-04-01,expansion,{big},,"]));

        report.Errors.Select(e => e.ToString()).Should().ContainSingle().Which.Should().StartWith("arr_movements.csv:2: amount: the movements of account A1");
        t.Facts("A1", "2025-12-31").Arr.Should().Be(40_000_000_000_000_000m, "the store is unchanged and still readable");
    }

    [Fact]
    public void Every_bad_row_of_every_file_is_reported_and_the_good_rows_are_not_written()
    {
        using var t = new TempDatabase();
        var files = ImportTests.Portfolio();
        files["accounts.csv"] += "A3,Acme,,,,,2025-02-30,2026-12-31,,,\n";
        files["arr_movements.csv"] += "A1,2025-07-01,upsell,100,,\nA1,2025-08-01,new,-1,,\n";
        files["evidence.csv"] += "E3,O1,2025-03-01,usage,,maybe,,\n";

        var report = t.Import(files);

        report.Errors.Select(e => e.ToString()).Should().SatisfyRespectively(
            e => e.Should().StartWith("accounts.csv:4: contract_start: "),
            e => e.Should().StartWith("arr_movements.csv:5: kind: "),
            e => e.Should().StartWith("arr_movements.csv:6: amount: "),
            e => e.Should().StartWith("evidence.csv:4: achieved: "));
        t.Reader.Counts().Values.Should().AllSatisfy(n => n.Should().Be(0));
    }

    [Fact]
    public void The_report_keeps_the_first_errors_and_counts_them_all()
    {
        using var t = new TempDatabase();
        var rows = Enumerable.Range(0, 250).Select(i => $"X{i},Acme,,,,,not-a-date,2026-12-31,,,").ToArray();
        var report = t.Import(Csv.Files(accounts: rows), new ImportOptions { MaxErrorsReported = 100 });
        report.ErrorCount.Should().Be(250);
        report.Errors.Should().HaveCount(100);
        report.Errors[99].Line.Should().Be(101);
    }

    [Fact]
    public void A_contraction_that_breaks_a_stored_contraction_is_reported_on_a_line_of_this_import()
    {
        using var t = new TempDatabase();
        t.ImportOk(Csv.Files(accounts: [Csv.Account("A1")], movements: ["A1,2025-01-01,new,100,,", "A1,2025-06-01,contraction,50,,"]));
        var rows = t.Snapshot();

        // On its own 2025-03-01 leaves 40, but the stored contraction of 50 on 2025-06-01 then exceeds the ARR.
        var report = t.Import(Csv.Files(movements: ["A1,2025-02-01,expansion,10,,", "A1,2025-03-01,contraction,70,,"]));

        report.Ok.Should().BeFalse();
        var error = report.Errors.Should().ContainSingle().Subject;
        error.File.Should().Be("arr_movements.csv");
        error.Line.Should().BeInRange(2, 3);
        error.Message.Should().Contain("2025-06-01");
        t.Snapshot().Should().Equal(rows);
    }
}
