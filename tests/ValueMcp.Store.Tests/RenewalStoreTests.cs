using Dapper;
using ValueMcp.Scoring;

namespace ValueMcp.Store.Tests;

/// <summary>The renewals fact: renewals.csv, its rules, the reader, and the history kept when an account's renewal_date moves on.</summary>
public sealed class RenewalStoreTests
{
    private const string Header = "account_id,renewal_date,outcome,renewed_arr,next_renewal_date,reason,decided_at,note";

    private static Dictionary<string, string> Files(params string[] renewals)
    {
        var files = Csv.Files(accounts: [Csv.Account("A", renewalDate: "2026-06-30"), Csv.Account("B", renewalDate: "2026-06-30")],
            movements: ["A,2025-06-30,new,1000,,", "B,2025-06-30,new,500,,"]);
        files["renewals.csv"] = Csv.Lines(Header, renewals);
        return files;
    }

    [Fact]
    public void Recorded_renewals_are_imported_keyed_and_read_back_with_every_field()
    {
        using var t = new TempDatabase();
        t.ImportOk(Files(
            "A,2026-06-30,contracted,800.50,2027-06-30,budget,2026-06-20,fewer seats",
            "B,2026-06-30,churned,,,competitor,2026-07-02,"));
        var again = t.ImportOk(Files(
            "A,2026-06-30,contracted,800.50,2027-06-30,budget,2026-06-20,fewer seats",
            "B,2026-06-30,churned,,,competitor,2026-07-02,"));
        again.Files.Single(f => f.File == "renewals.csv").Unchanged.Should().Be(2);

        var a = t.Reader.History("A").History!.Renewals.Should().ContainSingle().Subject;
        a.Should().Be(new RenewalFact("A", new DateOnly(2026, 6, 30), RenewalOutcome.Contracted, 800.50m, new DateOnly(2027, 6, 30),
            RenewalReason.Budget, new DateOnly(2026, 6, 20), "fewer seats"));
        using var stream = t.Reader.Histories(new DateOnly(2026, 1, 1));
        stream.Single(h => h.Id == "B").Renewals.Should().ContainSingle("every recorded renewal is streamed, whatever the as_of: its date is a contract term")
            .Which.Outcome.Should().Be(RenewalOutcome.Churned);
    }

    [Fact]
    public void A_renewal_row_that_breaks_a_rule_is_refused_with_what_is_accepted()
    {
        using var t = new TempDatabase();
        var report = t.Import(Files(
            "A,2026-06-30,renewed,,,,2026-06-20,",
            "B,2026-06-30,churned,100,2027-06-30,,2026-06-20,",
            "C,2026-06-30,contracted,,2027-06-30,cheap,2026-06-20,"));
        var errors = string.Join("\n", report.Errors.Select(e => e.ToString()));
        errors.Should().Contain("renewals.csv:2: next_renewal_date: is required when the outcome is renewed");
        errors.Should().Contain("renewals.csv:3: next_renewal_date: is given for a churned renewal; accepted: empty (a churn opens no renewal) (got \"2027-06-30\")");
        errors.Should().Contain("renewals.csv:3: renewed_arr: is given for a churned renewal; accepted: empty or 0 (got \"100\")");
        errors.Should().Contain("renewals.csv:4: reason: unknown value; accepted: sponsor_change, budget, competitor, value_not_realised, product_gap, price, other (got \"cheap\")");
        errors.Should().Contain("renewals.csv:4: account_id: unknown account");
        t.Db.Write((c, tx) => c.ExecuteScalar<long>("SELECT count(*) FROM renewals", transaction: tx)).Should().Be(0);
    }

    [Fact]
    public void An_import_that_moves_a_renewal_date_on_records_the_old_renewal_as_renewed()
    {
        using var t = new TempDatabase();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var old = today.AddDays(-10);
        string Accounts(DateOnly a, DateOnly b) => Csv.Lines(Csv.AccountsHeader,
            Csv.Account("A", renewalDate: FactReader.Iso(a)), Csv.Account("B", renewalDate: FactReader.Iso(b)));
        t.ImportOk(new Dictionary<string, string> { ["accounts.csv"] = Accounts(old, today.AddDays(200)) });
        // A renews: its date moves a year on. B's far date is corrected by a month: not a renewal.
        t.ImportOk(new Dictionary<string, string> { ["accounts.csv"] = Accounts(old.AddYears(1), today.AddDays(230)) });

        var a = t.Reader.History("A").History!;
        var r = a.Renewals.Should().ContainSingle().Subject;
        r.RenewalDate.Should().Be(old);
        r.Outcome.Should().Be(RenewalOutcome.Renewed);
        r.NextRenewalDate.Should().Be(old.AddYears(1));
        r.DecidedAt.Should().Be(today);
        Renewals.Status(a, today, ScoringPolicy.Default).Date.Should().Be(old.AddYears(1));
        Renewals.Status(a, today.AddDays(-1), ScoringPolicy.Default).State.Should().Be(RenewalState.OverdueRenewal, "before the import's day it was still open, and passed");
        t.Reader.History("B").History!.Renewals.Should().BeEmpty();
    }

    /// <summary>A clock that would give a wrong day: the import's day must come from ImportOptions.Day, not from it.</summary>
    private sealed class WrongClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    [Theory]
    // Import day 2026-03-01. Old date 45 days ahead: a renewal with a 90-day window, a correction with a 30-day one.
    [InlineData(90, true)]
    [InlineData(30, false)]
    // The old date exactly at the window's edge (45 days) is still a renewal.
    [InlineData(45, true)]
    [InlineData(44, false)]
    public void The_renewal_date_moving_on_is_decided_by_the_imports_day_and_window_not_by_the_clock(int windowDays, bool recorded)
    {
        using var t = new TempDatabase();
        var day = new DateOnly(2026, 3, 1);
        var old = day.AddDays(45);
        string Accounts(DateOnly a) => Csv.Lines(Csv.AccountsHeader, Csv.Account("A", renewalDate: FactReader.Iso(a)));
        var options = new ImportOptions { Day = day, RenewalWindowDays = windowDays, Clock = new WrongClock() };
        t.ImportOk(new Dictionary<string, string> { ["accounts.csv"] = Accounts(old) }, options);
        t.ImportOk(new Dictionary<string, string> { ["accounts.csv"] = Accounts(old.AddYears(1)) }, options);

        var renewals = t.Reader.History("A").History!.Renewals;
        if (!recorded)
        {
            renewals.Should().BeEmpty($"{FactReader.Iso(old)} is more than {windowDays} days after the import's day: a correction of the date");
            return;
        }
        var r = renewals.Should().ContainSingle().Subject;
        r.RenewalDate.Should().Be(old);
        r.NextRenewalDate.Should().Be(old.AddYears(1));
        r.DecidedAt.Should().Be(day, "the import's day, not the clock's 2031-01-01");
        r.Note.Should().Be($"recorded when renewal_date moved on from {FactReader.Iso(old)} to {FactReader.Iso(old.AddYears(1))}");
    }

    [Fact]
    public void Outside_an_import_the_trigger_decides_nothing_and_the_import_leaves_no_context_behind()
    {
        using var t = new TempDatabase();
        t.ImportOk(new Dictionary<string, string> { ["accounts.csv"] = Csv.Lines(Csv.AccountsHeader, Csv.Account("A", renewalDate: "2026-06-30")) },
            new ImportOptions { Day = new DateOnly(2026, 6, 1) });
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={t.Path}");
        c.Open();
        c.ExecuteScalar<long>("SELECT count(*) FROM import_context").Should().Be(0, "the import empties it before it commits");
        // An update made by hand (no import running): no day, so no renewal is recorded.
        c.Execute("UPDATE accounts SET renewal_date = '2027-06-30' WHERE id = 'A'");
        c.ExecuteScalar<long>("SELECT count(*) FROM renewals").Should().Be(0);
    }
}
