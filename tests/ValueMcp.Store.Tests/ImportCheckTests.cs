using System.Diagnostics;

namespace ValueMcp.Store.Tests;

/// <summary>
/// The checks of issue 11 (item 5) and 18 on the import: a duplicate whose first copy is bad, the ledger check next to
/// the row errors, a bad account row that does not hide behind "unknown account", refused imports that count nothing,
/// bounded warnings and errors, and entries that are not regular files.
/// </summary>
public sealed class ImportCheckTests
{
    private static IReadOnlyList<string> Lines(ImportReport report) => report.Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void A_duplicate_key_is_reported_even_when_its_first_copy_is_bad()
    {
        using var t = new TempDatabase();
        var report = t.Import(Csv.Files(
            accounts: ["A4,Acme,,,,,2025-13-01,2026-12-31,,,", "A4,Acme,,,,,2025-01-01,2026-12-31,,,"],
            outcomes: ["O1,A4,Go live,,,,,,2025-01-01,2025-00-01,", "O1,A4,Go live,,,,,,2025-01-01,,"]));

        Lines(report).Should().SatisfyRespectively(
            e => e.Should().StartWith("accounts.csv:2: contract_start: not a date"),
            e => e.Should().StartWith("accounts.csv:3: id: key given twice in this import (first on line 2)"),
            e => e.Should().StartWith("outcomes.csv:2: due_date: not a date"),
            e => e.Should().StartWith("outcomes.csv:3: id: key given twice in this import (first on line 2)"));
        t.Reader.Counts().Values.Should().AllSatisfy(n => n.Should().Be(0));
    }

    [Fact]
    public void A_contraction_larger_than_the_arr_is_reported_together_with_the_row_errors()
    {
        using var t = new TempDatabase();
        var report = t.Import(Csv.Files(
            accounts: [Csv.Account("A1"), "A2,Beta,,9,,,2025-01-01,2026-12-31,,,"],
            movements: ["A1,2025-01-01,new,100,,", "A1,2025-02-01,contraction,500,,"]));

        Lines(report).Should().SatisfyRespectively(
            e => e.Should().StartWith("accounts.csv:3: tier: unknown value"),
            e => e.Should().StartWith("arr_movements.csv:3: amount: contraction of 500 on 2025-02-01 is larger than the ARR it applies to (100)"));
    }

    [Fact]
    public void The_ledger_of_an_account_with_a_bad_movement_row_is_not_checked_on_what_is_left()
    {
        using var t = new TempDatabase();
        // Without its bad "new" row A2's contraction would exceed an ARR of 0: only the real error is reported.
        var report = t.Import(Csv.Files(
            accounts: [Csv.Account("A1"), Csv.Account("A2")],
            movements: ["A2,2025-01-01,new,abc,,", "A2,2025-02-01,contraction,50,,", "A1,2025-01-01,new,100,,", "A1,2025-02-01,contraction,500,,"]));

        Lines(report).Should().SatisfyRespectively(
            e => e.Should().StartWith("arr_movements.csv:2: amount: not a number"),
            e => e.Should().StartWith("arr_movements.csv:5: amount: contraction of 500"));
    }

    [Fact]
    public void A_bad_account_row_is_the_only_error_its_other_rows_are_not_unknown()
    {
        using var t = new TempDatabase();
        var report = t.Import(Csv.Files(
            accounts: ["A9,,,,,,2025-01-01,2026-12-31,,,"],
            movements: ["A9,2025-01-01,new,100,,"],
            outcomes: ["O9,A9,Go live,,,,,,2025-01-01,,", "O8,A9,Grow,m,u,0,10,sideways,2025-01-01,,"],
            evidence: ["E9,O9,2025-02-01,usage,,true,,", "E8,O8,2025-02-01,usage,,true,,"],
            signals: ["S9,A9,2025-02-01,usage,dau_growth,1,"],
            milestones: ["A9,live,2025-02-01"]));

        Lines(report).Should().SatisfyRespectively(
            e => e.Should().StartWith("accounts.csv:2: name: required"),
            e => e.Should().StartWith("outcomes.csv:3: direction: unknown value"));
        t.Reader.Counts().Values.Should().AllSatisfy(n => n.Should().Be(0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_refused_import_counts_the_rows_read_and_nothing_inserted_or_updated(bool dryRun)
    {
        using var t = new TempDatabase();
        t.ImportOk(Csv.Files(accounts: [Csv.Account("A1")]));
        var report = t.Import(Csv.Files(
            accounts: [Csv.Account("A1", csm: "Other"), Csv.Account("A2"), Csv.Account("A3")],
            movements: ["A2,2025-01-01,new,100,,", "A3,2025-01-01,new,-1,,"]), new ImportOptions { DryRun = dryRun });

        report.Ok.Should().BeFalse();
        report.Files.Select(f => (f.File, f.Rows, f.Inserted, f.Updated, f.Unchanged)).Should().Equal(
            ("accounts.csv", 3L, 0L, 0L, 0L),
            ("arr_movements.csv", 2L, 0L, 0L, 0L));
    }

    [Fact]
    public void Warnings_are_capped_in_the_report_with_a_count_of_the_rest()
    {
        using var t = new TempDatabase();
        var unknown = Enumerable.Range(1, 20_000).Select(i => $"extra_{i}").ToList();
        var report = t.ImportOk(new Dictionary<string, string>
        {
            ["accounts.csv"] = $"{Csv.AccountsHeader},{string.Join(",", unknown)}\n{Csv.Account("A1")}{new string(',', unknown.Count)}\n",
        });

        report.Warnings.Should().HaveCount(101);
        report.Warnings[0].Should().StartWith("accounts.csv:1: unknown column \"extra_1\" ignored");
        report.Warnings[99].Should().Contain("\"extra_100\"");
        report.Warnings[100].Should().Be("... and 19,900 more warnings");
        report.Warnings.Sum(w => w.Length).Should().BeLessThan(40_000);
        t.Reader.AccountExists("A1").Should().BeTrue();
    }

    [Fact]
    public void Errors_are_capped_at_100_by_default_and_all_counted()
    {
        using var t = new TempDatabase();
        var rows = Enumerable.Range(0, 250).Select(i => $"X{i},Acme,,,,,not-a-date,2026-12-31,,,").ToArray();
        var report = t.Import(Csv.Files(accounts: rows));
        report.ErrorCount.Should().Be(250);
        report.Errors.Should().HaveCount(100);
    }

    [Fact]
    public async Task A_named_pipe_in_place_of_an_import_file_is_refused_without_being_opened()
    {
        if (OperatingSystem.IsWindows()) return; // no named pipes in the file system
        using var t = new TempDatabase();
        using var folder = CsvFolder.Write(Csv.Files(movements: ["A1,2025-01-01,new,100,,"]));
        var fifo = Path.Combine(folder.Path, "accounts.csv");
        MakeFifo(fifo);

        var import = Task.Run(() => t.Importer.Import(ImportSource.FromFolder(folder.Path), new ImportOptions()));
        try
        {
            // A safety net only: an import that opens the pipe waits for a writer forever.
            var report = await import.WaitAsync(TimeSpan.FromSeconds(120));
            report.Ok.Should().BeFalse();
            Lines(report).Should().ContainSingle().Which.Should().StartWith("accounts.csv:1: empty or not a regular file (a named pipe, a socket or a device)");
            report.Files.Should().BeEmpty("nothing was read");
        }
        finally
        {
            if (!import.IsCompleted) Release(fifo);
        }
    }

    [Fact]
    public void A_folder_named_like_an_import_file_is_refused()
    {
        using var t = new TempDatabase();
        using var folder = CsvFolder.Write(Csv.Files(movements: ["A1,2025-01-01,new,100,,"]));
        Directory.CreateDirectory(Path.Combine(folder.Path, "accounts.csv"));

        var report = t.Importer.Import(ImportSource.FromFolder(folder.Path), new ImportOptions());

        Lines(report).Should().ContainSingle().Which.Should().StartWith("accounts.csv:1: a folder, not a file");
    }

    /// <summary>Creates a named pipe (mkfifo(1)).</summary>
    private static void MakeFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        p.WaitForExit();
        p.ExitCode.Should().Be(0);
    }

    /// <summary>Opens the pipe for writing and closes it: a reader blocked in opening it gets an empty file and goes on.</summary>
    private static void Release(string fifo)
    {
        using var w = new FileStream(fifo, FileMode.Open, FileAccess.Write);
    }
}
