using ValueMcp.Scoring;
using static ValueMcp.Store.Tests.TempDatabase;

namespace ValueMcp.Store.Tests;

/// <summary>
/// The data version: every write and every import that changes facts raises it in its own transaction and names what
/// it touched, so that a server keeping scored portfolios in memory rescores exactly that.
/// </summary>
public sealed class DataVersionTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static WriteAudit Audit(string op) => new(op, "{}", "test", At);

    [Fact]
    public async Task Each_write_raises_the_version_by_one_and_names_its_account()
    {
        using var t = new TempDatabase();
        t.ImportOk(ImportTests.Portfolio());
        var reader = t.Reader;
        var start = reader.Version().Version;
        var writer = new FactWriter(t.Db);

        await writer.RecordEvidence(new EvidenceFact("EV-X", "O1", D("2025-07-01"), EvidenceSource.Survey, 5m, null, "", "pat"), Audit("record_evidence"));
        await writer.LogSignal(new SignalFact("SIG-X", "A2", D("2025-07-03"), SignalCategory.Risk, "ticket_spike", -1, ""), Audit("log_signal"));

        reader.Version().Version.Should().Be(start + 2);
        var (now, changed) = reader.ChangesSince(start, maxAccounts: 100);
        now.Version.Should().Be(start + 2);
        changed!.Select(h => h.Id).Should().BeEquivalentTo(["A1", "A2"], "O1 is an outcome of A1; the signal is A2's");
        changed!.Single(h => h.Id == "A2").Signals.Should().Contain(s => s.Id == "SIG-X", "a changed account comes whole, with the write");
        reader.ChangesSince(start + 1, maxAccounts: 100).Changed!.Select(h => h.Id).Should().Equal("A2");
        reader.ChangesSince(start + 2, maxAccounts: 100).Changed.Should().BeEmpty("nothing changed since");
        reader.ChangesSince(start, maxAccounts: 1).Changed.Should().BeNull("more accounts changed than the reader wants patched");
    }

    [Fact]
    public void An_import_that_changes_facts_raises_the_version_for_any_account_and_one_that_changes_nothing_does_not()
    {
        using var t = new TempDatabase();
        var empty = t.Reader.Version().Version;
        t.ImportOk(ImportTests.Portfolio());
        var imported = t.Reader.Version().Version;
        imported.Should().Be(empty + 1);
        t.Reader.ChangesSince(empty, maxAccounts: 1000).Changed.Should().BeNull("an import may change any account: read the portfolio again");

        t.ImportOk(ImportTests.Portfolio()).Files.Should().AllSatisfy(f => (f.Inserted + f.Updated).Should().Be(0));
        t.Reader.Version().Version.Should().Be(imported, "the same files again change nothing");

        using var folder = CsvFolder.Write(ImportTests.Portfolio());
        t.Importer.Import(ImportSource.FromFolder(folder.Path), new ImportOptions { DryRun = true });
        t.Reader.Version().Version.Should().Be(imported, "a dry run writes nothing");
    }

    [Fact]
    public async Task A_refused_write_leaves_the_version()
    {
        using var t = new TempDatabase();
        t.ImportOk(ImportTests.Portfolio());
        var before = t.Reader.Version().Version;
        var writer = new FactWriter(t.Db);
        var duplicate = () => writer.LogSignal(new SignalFact("SIG-D", "A2", D("2025-07-03"), SignalCategory.Risk, "x", -1, ""), Audit("log_signal"));
        await duplicate();
        await duplicate.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>();
        t.Reader.Version().Version.Should().Be(before + 1, "the refused write rolled back with its version");
    }

    [Fact]
    public async Task A_reader_further_behind_than_the_changes_kept_reads_everything_again()
    {
        using var t = new TempDatabase();
        t.ImportOk(ImportTests.Portfolio());
        var start = t.Reader.Version().Version;
        var writer = new FactWriter(t.Db);
        // Pruning keeps the last DataVersions.KeptChanges versions, every 1,000th version: move the counter to just
        // before a pruning point past them, instead of writing ten thousand facts.
        await t.Db.WriteAsync((c, tx) =>
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"UPDATE data_version SET version = version + {DataVersions.KeptChanges + 2000 - (start % 1000) - 1}";
            return cmd.ExecuteNonQuery();
        });
        await writer.LogSignal(new SignalFact("SIG-P", "A2", D("2025-07-03"), SignalCategory.Usage, "x", 1, ""), Audit("log_signal"));

        var now = t.Reader.Version();
        (now.Version % 1000).Should().Be(0, "the write landed on a pruning point");
        now.ChangesFrom.Should().Be(now.Version - DataVersions.KeptChanges);
        t.Reader.ChangesSince(start, maxAccounts: 100).Changed.Should().BeNull("the changes since then are no longer all listed");
        t.Reader.ChangesSince(now.Version - 1, maxAccounts: 100).Changed!.Select(h => h.Id).Should().Equal("A2");
    }
}
