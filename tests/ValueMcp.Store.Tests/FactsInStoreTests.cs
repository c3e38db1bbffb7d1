using System.Security.Cryptography;
using System.Text;
using Dapper;
using ValueMcp.DemoData;
using ValueMcp.Scoring;
using static ValueMcp.Store.Tests.TempDatabase;

namespace ValueMcp.Store.Tests;

/// <summary>
/// The store side of getting facts in: the bulk path (set-aside indexes, the writer thread), dry runs on a read-only
/// database, stream sources and their limits, malformed input leaving the file byte-for-byte unchanged, the fact
/// writer and its audit entries.
/// </summary>
public sealed class FactsInStoreTests
{
    private static string Fingerprint(string path)
    {
        using var sha = SHA256.Create();
        foreach (var p in new[] { path, path + "-wal" })
        {
            var bytes = File.Exists(p) ? ReadShared(p) : [];
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }

    private static byte[] ReadShared(string path)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private static byte[] Utf8(string s) => new UTF8Encoding(false).GetBytes(s);

    /// <summary>The malformed rows: each file, and the start of the one error expected.</summary>
    public static TheoryData<string> MalformedCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in Malformed.Keys) data.Add(name);
        return data;
    }

    private static readonly Dictionary<string, (Func<Dictionary<string, byte[]>> Files, string Expected)> Malformed = new()
    {
        ["bad date"] = (() => new() { ["accounts.csv"] = Utf8(Csv.Lines(Csv.AccountsHeader, "A9,Acme,,,,,2025-02-29,2026-12-31,,,")) }, "accounts.csv:2: contract_start: not a date"),
        ["negative amount"] = (() => new() { ["arr_movements.csv"] = Utf8(Csv.Lines(Csv.MovementsHeader, "A1,2025-09-01,expansion,-500,,")) }, "arr_movements.csv:2: amount: must be above 0"),
        ["non-numeric amount"] = (() => new() { ["arr_movements.csv"] = Utf8(Csv.Lines(Csv.MovementsHeader, "A1,2025-09-01,expansion,1e3,,")) }, "arr_movements.csv:2: amount: not a number"),
        ["unknown kind"] = (() => new() { ["arr_movements.csv"] = Utf8(Csv.Lines(Csv.MovementsHeader, "A1,2025-09-01,upgrade,500,,")) }, "arr_movements.csv:2: kind: unknown value; accepted: new, expansion, contraction, churn"),
        ["unknown account id"] = (() => new() { ["signals.csv"] = Utf8(Csv.Lines(Csv.SignalsHeader, "S9,NOPE',2025-03-01,usage,x,1,")) }, "signals.csv:2: account_id: unknown account"),
        ["unknown outcome id"] = (() => new() { ["evidence.csv"] = Utf8(Csv.Lines(Csv.EvidenceHeader, "E9,O1; DROP TABLE evidence,2025-03-01,usage,,true,,")) }, "evidence.csv:2: outcome_id: unknown outcome"),
        ["unbalanced quotes"] = (() => new() { ["accounts.csv"] = Utf8(Csv.Lines(Csv.AccountsHeader, "A9,\"Acme,,,,,2025-01-01,2026-12-31,,,", "A10,Beta,,,,,2025-01-01,2026-12-31,,,")) }, "accounts.csv:2: "),
        ["a 50 MB field"] = (() => new() { ["accounts.csv"] = Utf8(Csv.Lines(Csv.AccountsHeader, "A9,\"" + new string('x', 50 * 1024 * 1024) + "\",,,,,2025-01-01,2026-12-31,,,")) }, "accounts.csv:2: "),
        ["binary garbage"] = (() => new() { ["milestones.csv"] = Garbage() }, "milestones.csv:1: the header row is not valid UTF-8 text"),
        ["Latin-1 instead of UTF-8"] = (() => new() { ["accounts.csv"] = Encoding.Latin1.GetBytes(Csv.Lines(Csv.AccountsHeader, "A9,Caf\u00e9 Soci\u00e9t\u00e9,,,,,2025-01-01,2026-12-31,,,")) }, "accounts.csv:2: not valid UTF-8 text"),
        ["UTF-16 without a byte order mark"] = (() => new() { ["accounts.csv"] = Encoding.Unicode.GetBytes(Csv.Lines(Csv.AccountsHeader, "A9,Acme,,,,,2025-01-01,2026-12-31,,,")) }, "accounts.csv:1: the header row is not valid UTF-8 text"),
    };

    private static byte[] Garbage()
    {
        var bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x01;
        return bytes;
    }

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Malformed_input_gets_a_clear_error_and_the_database_file_is_byte_for_byte_the_same(string name)
    {
        var (files, expected) = Malformed[name];
        using var t = new TempDatabase();
        t.ImportOk(ImportTests.Portfolio());
        var before = Fingerprint(t.Path);

        var report = t.ImportBytes(files());

        report.Ok.Should().BeFalse();
        report.Committed.Should().BeFalse();
        report.Errors.Select(e => e.ToString()).Should().Contain(e => e.StartsWith(expected, StringComparison.Ordinal), $"case {name}");
        report.Errors.Should().AllSatisfy(e => e.ToString().Length.Should().BeLessThan(1000, "an error line never echoes a huge value"));
        Fingerprint(t.Path).Should().Be(before);
    }

    [Fact]
    public void A_dry_run_works_on_a_read_only_database_and_checks_against_what_is_stored()
    {
        using var t = new TempDatabase();
        t.ImportOk(Csv.Files(accounts: [Csv.Account("A1")], movements: ["A1,2025-01-01,new,1000,,"]));
        t.Reopen(readOnly: true);

        var ok = t.Import(ImportTests.Portfolio(), new ImportOptions { DryRun = true });
        ok.Ok.Should().BeTrue(string.Join("; ", ok.Errors));
        ok.Files.Single(f => f.File == "accounts.csv").Should().Be(new FileCounts("accounts.csv", 2, 1, 1, 0), "A1 is stored (and differs), A2 is new");
        ok.Files.Single(f => f.File == "evidence.csv").Inserted.Should().Be(2, "evidence refers to outcomes of the same (dry) import");

        var bad = t.Import(Csv.Files(movements: ["A1,2025-02-01,contraction,1500,,"]), new ImportOptions { DryRun = true });
        bad.Errors.Select(e => e.ToString()).Should().ContainSingle().Which.Should().StartWith("arr_movements.csv:2: amount: contraction of 1500");

        var write = () => t.Import(ImportTests.Portfolio());
        write.Should().Throw<StoreException>().WithMessage("*read-only*");
    }

    [Fact]
    public void A_file_over_the_size_limit_is_reported_on_line_1_for_a_folder_and_for_a_stream()
    {
        using var t = new TempDatabase();
        var folder = t.Import(Csv.Files(accounts: [Csv.Account("A1"), Csv.Account("A2")]), new ImportOptions { MaxFileBytes = 100 });
        folder.Errors.Should().ContainSingle().Which.ToString().Should().StartWith("accounts.csv:1: file is").And.Contain("over the limit of 100 bytes");

        var text = Csv.Lines(Csv.AccountsHeader, Enumerable.Range(0, 5_000).Select(i => Csv.Account($"S{i}")).ToArray());
        var streams = new Dictionary<string, Func<Stream>> { ["accounts.csv"] = () => new MemoryStream(Utf8(text)) };
        var stream = t.Importer.Import(ImportSource.FromStreams("test", streams), new ImportOptions { MaxFileBytes = 100_000 });
        stream.Ok.Should().BeFalse();
        stream.Errors.Should().ContainSingle().Which.ToString().Should().StartWith("accounts.csv:1: file is larger, over the limit of 100,000 bytes");
        t.Reader.Counts()["accounts"].Should().Be(0, "nothing of the stream was written");
    }

    [Fact]
    public void Stream_sources_refuse_file_names_they_do_not_know()
    {
        var streams = new Dictionary<string, Func<Stream>> { ["accounts.csv"] = () => new MemoryStream(), ["acounts.csv"] = () => new MemoryStream() };
        var act = () => ImportSource.FromStreams("test", streams);
        act.Should().Throw<StoreException>().WithMessage("*acounts.csv*accepted: accounts.csv, arr_movements.csv*");
    }

    [Fact]
    public void A_bulk_load_into_empty_tables_keeps_the_schema_and_a_second_load_counts_updates()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"valuemcp-bulk-{Guid.NewGuid():N}");
        try
        {
            PortfolioGenerator.Write(dir, new GeneratorOptions(600));
            using var t = new TempDatabase();
            string Schema()
            {
                using var c = t.Db.OpenRead();
                return string.Join("\n", c.Query<string>("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name"));
            }
            var schema = Schema();

            var first = t.Importer.Import(ImportSource.FromFolder(dir), new ImportOptions());
            first.Ok.Should().BeTrue(string.Join("; ", first.Errors.Take(5)));
            first.Files.Should().AllSatisfy(f => f.Inserted.Should().Be(f.Rows));
            Schema().Should().Be(schema, "the indexes set aside for the bulk load are rebuilt, the same");
            using (var c = t.Db.OpenRead())
            {
                c.ExecuteScalar<string>("PRAGMA integrity_check").Should().Be("ok");
                c.ExecuteScalar<long>("SELECT count(*) FROM evidence INDEXED BY evidence_stream WHERE outcome_id > ''").Should().Be(first.Files.Single(f => f.File == "evidence.csv").Rows);
            }

            // Change two accounts' names; import again: the writer thread's conflict path tells updated from unchanged.
            var accounts = System.IO.Path.Combine(dir, "accounts.csv");
            var lines = File.ReadAllLines(accounts);
            lines[1] = lines[1].Replace(",SMB,", ",Enterprise,").Replace(",Mid-Market,", ",Enterprise,");
            var comma = lines[2].IndexOf(',');
            lines[2] = lines[2][..(comma + 1)] + "Renamed " + lines[2][(comma + 1)..];
            File.WriteAllLines(accounts, lines);
            var second = t.Importer.Import(ImportSource.FromFolder(dir), new ImportOptions());
            second.Ok.Should().BeTrue();
            var accountCounts = second.Files.Single(f => f.File == "accounts.csv");
            accountCounts.Inserted.Should().Be(0);
            accountCounts.Updated.Should().BeInRange(1, 2);
            (accountCounts.Updated + accountCounts.Unchanged).Should().Be(accountCounts.Rows);
            second.Files.Where(f => f.File != "accounts.csv").Should().AllSatisfy(f => f.Unchanged.Should().Be(f.Rows));
            Schema().Should().Be(schema);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_cancelled_import_writes_nothing_and_leaves_the_writer_usable()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"valuemcp-cancel-{Guid.NewGuid():N}");
        try
        {
            PortfolioGenerator.Write(dir, new GeneratorOptions(600));
            using var t = new TempDatabase();
            using var cts = new CancellationTokenSource();
            var progress = new Relay(p => { if (p.File == "outcomes.csv" && p.Done) cts.Cancel(); });
            var act = () => t.Importer.Import(ImportSource.FromFolder(dir), new ImportOptions(), progress, cts.Token);
            act.Should().Throw<OperationCanceledException>();
            t.Reader.Counts().Values.Should().AllSatisfy(n => n.Should().Be(0));
            t.ImportOk(ImportTests.Portfolio());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class Relay(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    [Fact]
    public async Task The_fact_writer_appends_each_fact_with_its_audit_entry_and_the_log_reads_newest_first()
    {
        using var t = new TempDatabase();
        t.ImportOk(ImportTests.Portfolio(), new ImportOptions { Clock = new FixedClock(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero)) });
        var writer = new FactWriter(t.Db);
        var at = new DateTimeOffset(2026, 3, 1, 9, 30, 15, 250, TimeSpan.Zero);

        writer.AccountOfOutcome("O1").Should().Be("A1");
        writer.AccountOfOutcome("O9").Should().BeNull();
        await writer.RecordEvidence(new EvidenceFact("EV-X", "O1", D("2025-07-01"), EvidenceSource.Survey, 5m, null, "it's \"done\"", "pat"),
            new WriteAudit("record_evidence", """{"id":"EV-X"}""", "pat", at));
        await writer.AddOutcome(new OutcomeFact("OUT-X", "A2", "Cut costs", "", "", null, null, null, D("2025-07-02"), null, ""),
            new WriteAudit("add_promised_outcome", """{"id":"OUT-X"}""", "pat", at.AddSeconds(1)));
        await writer.LogSignal(new SignalFact("SIG-X", "A2", D("2025-07-03"), SignalCategory.Risk, "ticket_spike", -1, ""),
            new WriteAudit("log_signal", """{"id":"SIG-X"}""", "sam", at.AddSeconds(2)));
        var id = await writer.SetOverride("A2", new OverrideFact(OverrideField.Risk, "high", "gut feeling", "sam", D("2025-07-04"), D("2025-12-31")),
            assigned => new WriteAudit("set_override", $$"""{"id":{{assigned}},"account_id":"A2"}""", "sam", at.AddSeconds(3)));
        id.Should().BePositive();
        new AuditLog(t.Db).Entries(null, 1).Single().Arguments.Should().Be($$"""{"id":{{id}},"account_id":"A2"}""", "the audit entry records the id the store assigned");

        t.Facts("A1", "2025-07-01").OutcomesEvidenced.Should().Be(1);
        t.Facts("A2", "2025-07-05").OutcomesPromised.Should().Be(2);
        t.Facts("A2", "2025-07-05").Overrides.Should().ContainSingle().Which.Value.Should().Be("high");
        using (var c = t.Db.OpenRead())
            c.ExecuteScalar<string>("SELECT note FROM evidence WHERE id = 'EV-X'").Should().Be("it's \"done\"");

        var log = new AuditLog(t.Db);
        var all = log.Entries(null, 10);
        all.Select(e => e.Operation).Should().Equal("set_override", "log_signal", "add_promised_outcome", "record_evidence", "import");
        all[0].At.Should().Be("2026-03-01T09:30:18.250Z");
        all[0].Author.Should().Be("sam");
        log.Entries(at.AddSeconds(2), 10).Select(e => e.Operation).Should().Equal("set_override", "log_signal");
        log.Entries(null, 2).Should().HaveCount(2);

        // A fact whose id is taken is refused as a whole: no audit entry without its fact.
        var duplicate = () => writer.LogSignal(new SignalFact("SIG-X", "A2", D("2025-07-03"), SignalCategory.Risk, "x", -1, ""),
            new WriteAudit("log_signal", "{}", "sam", at.AddSeconds(9)));
        await duplicate.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>();
        log.Entries(null, 100).Should().HaveCount(5);
    }

    [Fact]
    public void New_ids_are_unique_sort_by_time_and_never_look_like_numbered_ones()
    {
        var t0 = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 2_000).Select(i => FactWriter.NewId("EV-", t0.AddMilliseconds(i / 10))).ToList();
        ids.Should().OnlyHaveUniqueItems();
        ids.Should().AllSatisfy(id => id.Should().MatchRegex("^EV-[0-9A-HJKMNP-TV-Z]{26}$"));
        var first = ids.Where((_, i) => i % 10 == 0).ToList();
        first.Should().BeInAscendingOrder(StringComparer.Ordinal, "the time comes first");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
