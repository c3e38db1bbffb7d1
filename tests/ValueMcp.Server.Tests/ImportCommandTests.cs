using System.Diagnostics;

namespace ValueMcp.Server.Tests;

/// <summary>
/// valuemcp import as a process: exit 0 imported, 1 refused for bad rows (nothing written), 2 usage; progress as plain
/// lines when the output is redirected; --dry-run writes nothing (and creates no database).
/// </summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = OwnServer.NewDir("import-cli");

    public ImportCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    public static async Task<Run> Valuemcp(params string[] args)
    {
        var start = ServerFixture.ServerStart(args);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.Environment["VALUEMCP_OPERATOR"] = "cli-test";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        return new Run(process.ExitCode, await stdout, await stderr);
    }

    private string Folder(string name, Dictionary<string, string> files)
    {
        var dir = Path.Combine(_dir, name);
        Directory.CreateDirectory(dir);
        foreach (var (file, text) in files) File.WriteAllText(Path.Combine(dir, file), text);
        return dir;
    }

    private const string AccountsHeader = "id,name,segment,tier,csm,account_manager,contract_start,renewal_date,contracted_capacity,used_capacity,executive_sponsor";

    private string Db => Path.Combine(_dir, "cli.db");

    [Fact]
    public async Task Exit_codes_0_imported_1_refused_2_usage()
    {
        var good = Folder("good", new() { ["accounts.csv"] = $"{AccountsHeader}\nA1,Acme,SMB,2,Dana,Sam,2025-01-01,2026-12-31,,,\nA2,Beta,SMB,2,Dana,Sam,2025-01-01,2026-12-31,,,\n" });
        var ok = await Valuemcp("import", good, "--db", Db);
        ok.ExitCode.Should().Be(0, ok.Stderr);
        ok.Stdout.Should().Contain("accounts.csv: 2 rows, 2 inserted, 0 updated, 0 unchanged").And.Contain("imported into");
        ok.Stderr.Should().Contain("accounts.csv: 2 rows read", "redirected output gets plain progress lines");
        ok.Stderr.Should().NotContain("\u001b[", "no terminal escape codes when redirected");
        OwnServer.Counts(Db)["accounts"].Should().Be(2);

        var bad = Folder("bad", new() { ["accounts.csv"] = $"{AccountsHeader}\nA3,Gamma,SMB,2,Dana,Sam,2025-13-01,2026-12-31,,,\nA4,Delta,SMB,9,Dana,Sam,2025-01-01,2026-12-31,,,\n" });
        var before = OwnServer.FileFingerprint(Db);
        var refused = await Valuemcp("import", bad, "--db", Db);
        refused.ExitCode.Should().Be(1, refused.Stderr);
        refused.Stderr.Should().Contain("accounts.csv:2: contract_start: not a date").And.Contain("accounts.csv:3: tier: unknown value");
        refused.Stdout.Should().Contain("refused: 2 error(s); nothing written");
        OwnServer.FileFingerprint(Db).Should().Be(before);

        var missing = await Valuemcp("import", Path.Combine(_dir, "no-such-folder"), "--db", Db);
        missing.ExitCode.Should().Be(2);
        missing.Stderr.Should().Contain("folder not found");

        var empty = Folder("empty", new() { ["readme.txt"] = "nothing to import" });
        var none = await Valuemcp("import", empty, "--db", Db);
        none.ExitCode.Should().Be(2);
        none.Stderr.Should().Contain("no import files").And.Contain("accounts.csv");

        var usage = await Valuemcp("import");
        usage.ExitCode.Should().Be(2, "a missing argument is a usage error");
        usage.Stderr.Should().Contain("FOLDER");
        OwnServer.FileFingerprint(Db).Should().Be(before);

        var audit = OwnServer.Counts(Db)["audit_log"];
        audit.Should().Be(1, "only the import that went through is audited");
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_and_creates_no_database()
    {
        var good = Folder("good", new() { ["accounts.csv"] = $"{AccountsHeader}\nA1,Acme,SMB,2,Dana,Sam,2025-01-01,2026-12-31,,,\n" });
        var fresh = Path.Combine(_dir, "not-yet.db");
        var dry = await Valuemcp("import", good, "--db", fresh, "--dry-run");
        dry.ExitCode.Should().Be(0, dry.Stderr);
        dry.Stdout.Should().Contain("accounts.csv: 1 rows, 1 inserted").And.Contain("dry run: no errors; nothing written");
        File.Exists(fresh).Should().BeFalse("a dry run does not create the database");

        (await Valuemcp("import", good, "--db", Db)).ExitCode.Should().Be(0);
        var before = OwnServer.FileFingerprint(Db);
        var changed = Folder("changed", new() { ["accounts.csv"] = $"{AccountsHeader}\nA1,Acme Renamed,SMB,2,Dana,Sam,2025-01-01,2026-12-31,,,\nA9,New,SMB,1,Dana,Sam,2025-01-01,2026-12-31,,,\n" });
        var again = await Valuemcp("import", changed, "--db", Db, "--dry-run");
        again.ExitCode.Should().Be(0, again.Stderr);
        again.Stdout.Should().Contain("accounts.csv: 2 rows, 1 inserted, 1 updated, 0 unchanged");
        OwnServer.FileFingerprint(Db).Should().Be(before, "a dry run opens the database read-only");
    }
    [Fact]
    public async Task A_refused_import_prints_the_rows_read_and_no_counts_that_did_not_happen()
    {
        var bad = Folder("bad", new()
        {
            ["accounts.csv"] = $"{AccountsHeader}\nA1,Acme,SMB,2,Dana,Sam,2025-01-01,2026-12-31,,,\nA2,Beta,SMB,2,Dana,Sam,2025-01-01,2026-12-31,,,\n",
            ["arr_movements.csv"] = "account_id,effective_date,kind,amount,lane,note\nA1,2025-01-01,new,100,,\nA2,2025-01-01,new,-5,,\n",
        });
        foreach (var dry in new[] { false, true })
        {
            var refused = await Valuemcp(["import", bad, "--db", Db, .. dry ? new[] { "--dry-run" } : []]);
            refused.ExitCode.Should().Be(1, refused.Stderr);
            refused.Stdout.Should().Contain("accounts.csv: 2 rows read").And.Contain("arr_movements.csv: 2 rows read");
            refused.Stdout.Should().NotContain("inserted").And.NotContain("updated").And.NotContain("unchanged");
            refused.Stdout.Should().Contain("refused: 1 error(s); nothing written");
        }
    }

    [Fact]
    public async Task A_file_given_instead_of_a_folder_is_told_to_give_the_folder()
    {
        var good = Folder("good", new() { ["accounts.csv"] = $"{AccountsHeader}\nA1,Acme,SMB,2,Dana,Sam,2025-01-01,2026-12-31,,,\n" });
        var file = Path.Combine(good, "accounts.csv");
        var r = await Valuemcp("import", file, "--db", Db);
        r.ExitCode.Should().Be(2, r.Stderr);
        r.Stderr.Should().Contain($"{file} is a file").And.Contain("give the folder that holds accounts.csv");
        File.Exists(Db).Should().BeFalse("nothing was opened");
    }

    [Fact]
    public async Task Errors_and_warnings_are_capped_with_a_count_of_the_rest()
    {
        var unknown = string.Join(",", Enumerable.Range(1, 20_000).Select(i => $"crm_field_{i}"));
        var badRows = string.Concat(Enumerable.Range(1, 250).Select(i => $"A1,2025-01-{1 + i % 28:00},expansion,-{i},,\n"));
        var folder = Folder("wide", new()
        {
            ["accounts.csv"] = $"{AccountsHeader},{unknown}\nA1,Acme,SMB,2,Dana,Sam,2025-01-01,2026-12-31,,,{new string(',', 20_000)}\n",
            ["arr_movements.csv"] = "account_id,effective_date,kind,amount,lane,note\n" + badRows,
        });
        var r = await Valuemcp("import", folder, "--db", Db);
        r.ExitCode.Should().Be(1, r.Stderr[..Math.Min(2000, r.Stderr.Length)]);
        var lines = r.Stderr.Split('\n');
        lines.Count(l => l.StartsWith("arr_movements.csv:", StringComparison.Ordinal)).Should().Be(100);
        lines.Should().Contain("... and 150 more errors");
        lines.Count(l => l.StartsWith("warning: accounts.csv:1: unknown column", StringComparison.Ordinal)).Should().Be(100);
        lines.Should().Contain("warning: ... and 19,900 more warnings");
        (r.Stdout.Length + r.Stderr.Length).Should().BeLessThan(64 * 1024);
    }

    [Fact]
    public async Task A_named_pipe_in_place_of_an_import_file_is_refused_without_hanging()
    {
        if (OperatingSystem.IsWindows()) return; // no named pipes in the file system
        var folder = Folder("fifo", new() { ["arr_movements.csv"] = "account_id,effective_date,kind,amount,lane,note\n" });
        var fifo = Path.Combine(folder, "accounts.csv");
        using (var p = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!) p.WaitForExit();
        var run = Valuemcp("import", folder, "--db", Db);
        try
        {
            var r = await run; // before the fix, the import waited for a writer and the run timed out
            r.ExitCode.Should().Be(1, r.Stderr);
            r.Stderr.Should().Contain("accounts.csv:1: empty or not a regular file (a named pipe, a socket or a device)");
        }
        finally
        {
            if (!run.IsCompletedSuccessfully)
            {
                using var w = new FileStream(fifo, FileMode.Open, FileAccess.Write); // lets a blocked reader go on
            }
        }
    }
}
