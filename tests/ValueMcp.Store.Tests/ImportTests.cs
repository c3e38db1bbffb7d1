using System.Text;
using Dapper;
using ValueMcp.Scoring;
using static ValueMcp.Store.Tests.TempDatabase;

namespace ValueMcp.Store.Tests;

/// <summary>Clean imports, idempotence, counts, dry run and limits (import.md).</summary>
public sealed class ImportTests
{
    /// <summary>One of each file, every row valid.</summary>
    public static Dictionary<string, string> Portfolio() => Csv.Files(
        accounts: [Csv.Account("A1", contracted: "100", used: "87.5"), Csv.Account("A2", tier: "", segment: "SMB")],
        movements: ["A1,2025-01-01,new,120000,,", "A1,2025-06-01,expansion,30000.25,modules,\"upsell, phase 2\"", "A2,2025-02-01,new,15000,,"],
        outcomes:
        [
            "O1,A1,Reduce forecast cycle time by 40%,cycle,days,10,6,decrease,2025-01-10,2025-06-30,deal-1",
            "O2,A2,Go live,,,,,,2025-02-01,,deal-2",
        ],
        evidence: ["E1,O1,2025-03-01,usage,5.5,,,bot", "E2,O2,2025-03-15,meeting,,true,kickoff call,cs"],
        signals: ["S1,A1,2025-03-01,usage,dau_growth,+1,", "S2,A2,2025-03-02,risk,sponsor_change,-1,new CFO"],
        milestones: ["A1,kickoff,2025-01-05", "A1,live,2025-02-01"]);

    private static FileCounts Counts(ImportReport report, string file) => report.Files.Should().ContainSingle(f => f.File == file).Subject;

    [Fact]
    public void A_clean_import_reports_inserted_counts_per_file()
    {
        using var t = new TempDatabase();
        var report = t.ImportOk(Portfolio());

        report.Committed.Should().BeTrue();
        report.DryRun.Should().BeFalse();
        report.Warnings.Should().BeEmpty();
        report.Files.Select(f => (f.File, f.Rows, f.Inserted, f.Updated, f.Unchanged)).Should().Equal(
            ("accounts.csv", 2L, 2L, 0L, 0L),
            ("arr_movements.csv", 3L, 3L, 0L, 0L),
            ("outcomes.csv", 2L, 2L, 0L, 0L),
            ("evidence.csv", 2L, 2L, 0L, 0L),
            ("signals.csv", 2L, 2L, 0L, 0L),
            ("milestones.csv", 2L, 2L, 0L, 0L));
        var counts = t.Reader.Counts();
        counts["accounts"].Should().Be(2);
        counts["arr_movements"].Should().Be(3);
        counts["outcomes"].Should().Be(2);
        counts["evidence"].Should().Be(2);
        counts["signals"].Should().Be(2);
        counts["milestones"].Should().Be(2);
        counts["audit_log"].Should().Be(1, "a committed import is audited");
    }

    [Fact]
    public void A_committed_import_is_audited_with_its_author_and_counts()
    {
        using var t = new TempDatabase();
        t.ImportOk(Portfolio(), new ImportOptions { Author = "dana@example.com" });
        using var c = t.Db.OpenRead();
        var audit = c.Query<(string Operation, string Arguments, string Author)>("SELECT operation, arguments, author FROM audit_log").Should().ContainSingle().Subject;
        audit.Operation.Should().Be("import");
        audit.Author.Should().Be("dana@example.com");
        audit.Arguments.Should().Contain("\"file\":\"accounts.csv\"").And.Contain("\"inserted\":2");
    }

    [Fact]
    public void Imported_values_read_back_as_given()
    {
        using var t = new TempDatabase();
        t.ImportOk(Portfolio());
        var a1 = t.Facts("A1", "2025-12-31");
        a1.Arr.Should().Be(150000.25m);
        a1.Profile.Should().Be(new AccountProfile("A1", "A1 Inc", "Enterprise", "1", "Dana", "Sam", "Pat",
            D("2025-01-01"), D("2026-12-31"), 100m, 87.5m));
        t.Facts("A2", "2025-12-31").Profile.Tier.Should().BeEmpty();
        t.Facts("A2", "2025-12-31").Profile.ContractedCapacity.Should().BeNull();
        t.Reader.Detail("A1", D("2025-12-31"))!.Movements[1].Note.Should().Be("upsell, phase 2");
        t.Reader.Known().Segments.Should().Equal("Enterprise", "SMB");
    }

    [Fact]
    public void Importing_the_same_folder_twice_changes_nothing_and_says_so()
    {
        using var t = new TempDatabase();
        using var folder = CsvFolder.Write(Portfolio());
        t.Importer.Import(ImportSource.FromFolder(folder.Path), new ImportOptions()).Ok.Should().BeTrue();
        var rows = t.Snapshot();
        var counts = t.Reader.Counts();

        var second = t.Importer.Import(ImportSource.FromFolder(folder.Path), new ImportOptions());

        second.Ok.Should().BeTrue();
        second.Files.Should().HaveCount(6).And.AllSatisfy(f =>
        {
            f.Inserted.Should().Be(0, f.File);
            f.Updated.Should().Be(0, f.File);
            f.Unchanged.Should().Be(f.Rows, f.File);
            f.Rows.Should().BePositive();
        });
        t.Snapshot().Should().Equal(rows);
        t.Reader.Counts().Where(kv => kv.Key != "audit_log").Should().BeEquivalentTo(counts.Where(kv => kv.Key != "audit_log"));
    }

    [Fact]
    public void A_changed_row_is_reported_as_updated_and_the_rest_as_unchanged()
    {
        using var t = new TempDatabase();
        t.ImportOk(Portfolio());
        var changed = Portfolio();
        changed["accounts.csv"] = changed["accounts.csv"].Replace("A2 Inc", "A2 Incorporated");
        changed["arr_movements.csv"] = changed["arr_movements.csv"].Replace("upsell, phase 2", "upsell, phase two");
        changed["outcomes.csv"] = changed["outcomes.csv"].Replace("Go live", "Go live in Europe");
        changed["evidence.csv"] = changed["evidence.csv"].Replace("5.5", "5.25");
        changed["signals.csv"] = changed["signals.csv"].Replace("new CFO", "new CFO; budget frozen");
        changed["milestones.csv"] = changed["milestones.csv"].Replace("A1,live,2025-02-01", "A1,live,2025-02-03");

        var report = t.ImportOk(changed);

        report.Files.Should().AllSatisfy(f =>
        {
            f.Updated.Should().Be(1, f.File);
            f.Inserted.Should().Be(0, f.File);
            f.Unchanged.Should().Be(f.Rows - 1, f.File);
        });
        t.Facts("A2", "2025-12-31").Profile.Name.Should().Be("A2 Incorporated");
        t.Reader.Detail("A1", D("2025-12-31"))!.Milestones.Should().Contain(new Milestone("live", D("2025-02-03")));
        t.Reader.Detail("A1", D("2025-12-31"))!.Evidence.Single().ObservedValue.Should().Be(5.25m);
    }

    [Fact]
    public void Rows_may_refer_to_facts_already_in_the_store()
    {
        using var t = new TempDatabase();
        t.ImportOk(Csv.Files(accounts: [Csv.Account("A1")], movements: ["A1,2025-01-01,new,1000,,"]));
        t.ImportOk(Csv.Files(outcomes: ["O1,A1,Go live,,,,,,2025-01-01,,"]));
        var report = t.ImportOk(Csv.Files(evidence: ["E1,O1,2025-02-01,usage,,true,,"], movements: ["A1,2025-03-01,contraction,400,,"]));
        report.Files.Select(f => f.File).Should().Equal("arr_movements.csv", "evidence.csv");
        t.Facts("A1", "2025-12-31").Arr.Should().Be(600m);
        t.Facts("A1", "2025-12-31").OutcomesEvidenced.Should().Be(1);
    }

    [Fact]
    public void Windows_line_endings_a_byte_order_mark_and_a_trailing_empty_line_are_read()
    {
        using var t = new TempDatabase();
        var text = "\uFEFF" + Csv.AccountsHeader + "\r\n" + Csv.Account("A1") + "\r\n" + Csv.Account("A2") + "\r\n\r\n";
        var report = t.ImportOk(new Dictionary<string, string> { ["accounts.csv"] = text });
        Counts(report, "accounts.csv").Inserted.Should().Be(2);
        t.Facts("A2", "2025-12-31").Profile.ExecutiveSponsor.Should().Be("Pat");
    }

    [Fact]
    public void Column_order_is_free()
    {
        using var t = new TempDatabase();
        t.ImportOk(new Dictionary<string, string>
        {
            ["accounts.csv"] = "renewal_date,contract_start,name,id\n2026-06-30,2025-01-01,Acme,A1\n",
            ["arr_movements.csv"] = "amount,kind,effective_date,account_id\n5000,new,2025-01-01,A1\n",
        });
        t.Facts("A1", "2025-12-31").Arr.Should().Be(5000m);
        t.Facts("A1", "2025-12-31").Profile.RenewalDate.Should().Be(D("2026-06-30"));
    }

    [Fact]
    public void An_unknown_column_is_a_warning_and_the_rows_are_imported()
    {
        using var t = new TempDatabase();
        var report = t.ImportOk(new Dictionary<string, string>
        {
            ["accounts.csv"] = "id,name,contract_start,renewal_date,region\nA1,Acme,2025-01-01,2026-06-30,EMEA\n",
        });
        report.Warnings.Should().ContainSingle().Which.Should().StartWith("accounts.csv:1: ").And.Contain("region");
        Counts(report, "accounts.csv").Inserted.Should().Be(1);
        t.Reader.AccountExists("A1").Should().BeTrue();
    }

    [Fact]
    public void A_dry_run_checks_everything_and_writes_nothing()
    {
        using var t = new TempDatabase();
        t.ImportOk(Csv.Files(accounts: [Csv.Account("A0")]));
        var rows = t.Snapshot();
        var counts = t.Reader.Counts();

        var report = t.Import(Portfolio(), new ImportOptions { DryRun = true });

        report.Ok.Should().BeTrue();
        report.DryRun.Should().BeTrue();
        report.Committed.Should().BeFalse();
        Counts(report, "accounts.csv").Inserted.Should().Be(2);
        Counts(report, "evidence.csv").Inserted.Should().Be(2, "evidence refers to outcomes of the same (dry) import");
        t.Snapshot().Should().Equal(rows);
        t.Reader.Counts().Should().BeEquivalentTo(counts);
    }

    [Fact]
    public void A_dry_run_reports_bad_rows_too()
    {
        using var t = new TempDatabase();
        var files = Portfolio();
        files["signals.csv"] += "S3,A1,2025-04-01,usage,dau_growth,2,\n";
        var report = t.Import(files, new ImportOptions { DryRun = true });
        report.Ok.Should().BeFalse();
        report.Errors.Select(e => e.ToString()).Should().ContainSingle().Which.Should().StartWith("signals.csv:4: polarity: ");
        t.Reader.Counts().Values.Should().AllSatisfy(n => n.Should().Be(0));
    }

    [Fact]
    public void A_dry_run_checks_against_what_is_stored()
    {
        using var t = new TempDatabase();
        t.ImportOk(Csv.Files(accounts: [Csv.Account("A1")], movements: ["A1,2025-01-01,new,1000,,"]));
        var report = t.Import(Csv.Files(movements: ["A1,2025-02-01,contraction,1500,,"]), new ImportOptions { DryRun = true });
        report.Errors.Select(e => e.ToString()).Should().ContainSingle().Which.Should().StartWith("arr_movements.csv:2: amount: contraction of 1500");
    }

    [Fact]
    public void A_file_with_more_rows_than_the_limit_is_refused_and_nothing_is_written()
    {
        using var t = new TempDatabase();
        var report = t.Import(Csv.Files(accounts: [Csv.Account("A1"), Csv.Account("A2"), Csv.Account("A3")]), new ImportOptions { MaxRows = 2 });
        report.Ok.Should().BeFalse();
        report.Committed.Should().BeFalse();
        report.Errors.Select(e => e.ToString()).Should().ContainSingle().Which.Should().StartWith("accounts.csv:4: ").And.Contain("row limit");
        t.Reader.Counts().Values.Should().AllSatisfy(n => n.Should().Be(0));

        t.ImportOk(Csv.Files(accounts: [Csv.Account("A1"), Csv.Account("A2")]), new ImportOptions { MaxRows = 2 });
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_refused_before_it_is_read()
    {
        using var t = new TempDatabase();
        var report = t.Import(Csv.Files(accounts: [Csv.Account("A1"), Csv.Account("A2")]), new ImportOptions { MaxFileBytes = 100 });
        report.Ok.Should().BeFalse();
        report.Errors.Should().ContainSingle().Which.Message.Should().Contain("over the limit of 100 bytes");
        report.Files.Should().BeEmpty("nothing was read");
        t.Reader.Counts().Values.Should().AllSatisfy(n => n.Should().Be(0));
    }

    [Fact]
    public void An_empty_folder_is_refused_with_the_expected_file_names()
    {
        using var t = new TempDatabase();
        var import = () => t.Import(new Dictionary<string, string> { ["readme.txt"] = "hello" });
        import.Should().Throw<StoreException>().Which.Message.Should().Contain("accounts.csv");
        var missing = () => ImportSource.FromFolder(Path.Combine(Path.GetTempPath(), $"valuemcp-none-{Guid.NewGuid():N}"));
        missing.Should().Throw<StoreException>().Which.Message.Should().Contain("folder not found");
    }

    [Fact]
    public void Streams_import_like_a_folder_and_report_progress()
    {
        using var t = new TempDatabase();
        var files = Portfolio().ToDictionary(kv => kv.Key, kv => (Func<Stream>)(() => new MemoryStream(Encoding.UTF8.GetBytes(kv.Value))));
        var progress = new List<ImportProgress>();
        var report = t.Importer.Import(ImportSource.FromStreams("test", files), new ImportOptions(), new SyncProgress(progress));
        report.Ok.Should().BeTrue();
        report.Source.Should().Be("test");
        progress.Where(p => p.Done).Select(p => (p.File, p.Rows)).Should().Equal(
            ("accounts.csv", 2L), ("arr_movements.csv", 3L), ("outcomes.csv", 2L), ("evidence.csv", 2L), ("signals.csv", 2L), ("milestones.csv", 2L));
    }

    [Fact]
    public void A_movement_churn_amount_is_optional_and_ignored()
    {
        using var t = new TempDatabase();
        t.ImportOk(Csv.Files(accounts: [Csv.Account("A1"), Csv.Account("A2"), Csv.Account("A3")],
            movements: ["A1,2025-01-01,new,1000,,", "A1,2025-02-01,churn,,,", "A2,2025-01-01,new,1000,,", "A2,2025-02-01,churn,250.5,,",
                "A3,2025-01-01,new,1000,,", "A3,2025-02-01,churn,1000.125,,", "A3,2025-03-01,new,500,,", "A3,2025-04-01,churn,99999999999999999999999,,"]));
        t.Facts("A1", "2025-02-01").Arr.Should().Be(0m);
        t.Facts("A2", "2025-02-01").Arr.Should().Be(0m);
        t.Facts("A3", "2025-02-01").Arr.Should().Be(0m);
        t.Facts("A3", "2025-03-01").Arr.Should().Be(500m);
        t.Facts("A3", "2025-04-01").Arr.Should().Be(0m);
    }

    private sealed class SyncProgress(List<ImportProgress> seen) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => seen.Add(value);
    }
}
