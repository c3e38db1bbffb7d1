using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using static ValueMcp.Server.Tests.J;

namespace ValueMcp.Server.Tests;

/// <summary>
/// import_facts over a real client: only folders inside the operator's import root (no "..", no absolute path
/// outside, no symbolic link leading out), all or nothing, idempotent, progress notifications, audited.
/// </summary>
public sealed class ImportToolTests(ImportToolTests.Server fixture) : IClassFixture<ImportToolTests.Server>
{
    private const string Operator = "Import Operator";

    public sealed class Server : IAsyncLifetime
    {
        public OwnServer Own { get; private set; } = null!;
        public string Root { get; private set; } = "";
        public string Outside { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var dir = OwnServer.NewDir("import-tool");
            Root = Path.Combine(dir, "root");
            Outside = Path.Combine(dir, "outside");
            Write(Path.Combine(Root, "good"), Good);
            Write(Path.Combine(Root, "nested", "deeper"), Good);
            Write(Path.Combine(Root, "bad"), new() { ["accounts.csv"] = Accounts("NEW-2", "2025-01-01") + "NEW-3,Bad Dates Inc,SMB,2,Aisha Rahman,Hannah Cole,2025-02-30,2027-01-01,,,\n" });
            Write(Outside, Good);
            Directory.CreateSymbolicLink(Path.Combine(Root, "link-out"), Outside);
            Directory.CreateDirectory(Path.Combine(Root, "file-link"));
            File.CreateSymbolicLink(Path.Combine(Root, "file-link", "accounts.csv"), Path.Combine(Outside, "accounts.csv"));
            Own = await OwnServer.Start("import-tool", ["--import-root", Root, "--operator", Operator], dir: dir);
        }

        public async Task DisposeAsync() => await Own.DisposeAsync();
    }

    private static string Accounts(string id, string start) =>
        "id,name,segment,tier,csm,account_manager,contract_start,renewal_date,contracted_capacity,used_capacity,executive_sponsor\n" +
        $"{id},New Logo {id},SMB,2,Aisha Rahman,Hannah Cole,{start},2027-09-01,100,80,\"Kim Lee, CFO\"\n";

    private static readonly Dictionary<string, string> Good = new()
    {
        ["accounts.csv"] = Accounts("NEW-1", "2026-09-01"),
        ["arr_movements.csv"] = "account_id,effective_date,kind,amount,lane,note\nNEW-1,2026-09-01,new,48000,,New logo\n",
        ["outcomes.csv"] = "id,account_id,title,metric,unit,baseline,target,direction,promised_at,due_date,source,crm_stage\n" +
            "NEW-1-O1,NEW-1,Cut onboarding to 30 days,onboarding_days,days,60,30,decrease,2026-09-01,2027-03-01,OPP-1,won\n",
    };

    private static void Write(string dir, Dictionary<string, string> files)
    {
        Directory.CreateDirectory(dir);
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(dir, name), text);
    }

    private OwnServer Own => fixture.Own;

    private async Task<(bool IsError, string Text, JsonObject? Content, ConcurrentQueue<ProgressNotificationValue> Progress)> Import(string folder, bool? dryRun = null)
    {
        var progress = new ConcurrentQueue<ProgressNotificationValue>();
        var args = Args(("folder", folder));
        if (dryRun is bool d) args["dry_run"] = d;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await Own.Client.CallToolAsync("import_facts", args, new SyncProgress(progress), cancellationToken: cts.Token);
        var content = result.StructuredContent is { } sc ? JsonNode.Parse(JsonSerializer.Serialize(sc))!.AsObject() : null;
        return (result.IsError ?? false, ServerFixture.Text(result), content, progress);
    }

    private sealed class SyncProgress(ConcurrentQueue<ProgressNotificationValue> seen) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => seen.Enqueue(value);
    }

    [Fact]
    public async Task A_folder_inside_the_root_imports_once_reports_progress_and_is_audited()
    {
        var dry = await Import("good", dryRun: true);
        dry.IsError.Should().BeFalse(dry.Text);
        dry.Content!["committed"]!.GetValue<bool>().Should().BeFalse();
        dry.Content.Objects("files").Single(f => f.Str("file") == "accounts.csv").Int("inserted").Should().Be(1);
        (await Own.Error("get_account_scorecard", Args(("account_id", "NEW-1")))).Should().Contain("unknown account", "a dry run writes nothing");

        var first = await Import("good");
        first.IsError.Should().BeFalse(first.Text);
        first.Content!["committed"]!.GetValue<bool>().Should().BeTrue();
        first.Content.Str("folder").Should().Be("good", "the answer names the folder relative to the root, not the server's paths");
        first.Content.Arr("warnings").Select(w => w!.GetValue<string>()).Should().ContainSingle().Which.Should().Contain("crm_stage");
        first.Content.Objects("files").Select(f => (f.Str("file"), f.Int("inserted"))).Should().BeEquivalentTo(
            [("accounts.csv", 1), ("arr_movements.csv", 1), ("outcomes.csv", 1)]);
        var card = await Own.Ok("get_account_scorecard", Args(("account_id", "NEW-1"), ("as_of", ServerFixture.AsOfText)));
        card.Dec("arr").Should().Be(48000m);
        card.Int("outcomes_promised").Should().Be(1);

        // Progress: one notification per file at least, increasing, ending at the total.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (first.Progress.Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
        var progress = first.Progress.ToList();
        progress.Should().HaveCountGreaterThanOrEqualTo(3);
        // (The client may hand notifications over out of order; the server sends them in order, increasing.)
        progress.Select(p => p.Progress).Should().OnlyHaveUniqueItems();
        progress.Max(p => p.Progress).Should().Be(progress[0].Total!.Value);
        progress.Should().Contain(p => p.Message!.Contains("accounts.csv")).And.Contain(p => p.Message!.Contains("outcomes.csv"));

        var again = await Import("good");
        again.IsError.Should().BeFalse(again.Text);
        again.Content!.Objects("files").Should().AllSatisfy(f => { f.Int("unchanged").Should().Be(f.Int("rows")); f.Int("inserted").Should().Be(0); });

        var log = await Own.Ok("get_audit_log", Args(("limit", 5)));
        var entry = log.Objects("entries").First(e => e.Str("operation") == "import");
        entry.Str("author").Should().Be(Operator);
        entry.Obj("arguments").Objects("files").Should().Contain(f => f.Str("file") == "accounts.csv");
    }

    [Fact]
    public async Task Bad_rows_refuse_the_import_with_every_error_in_compiler_form()
    {
        var before = Own.Fingerprint();
        var r = await Import("bad");
        r.IsError.Should().BeTrue();
        r.Text.Should().Contain("accounts.csv:3: contract_start: not a date").And.Contain("nothing was written");
        r.Content!.Int("error_count").Should().Be(1);
        r.Content!.Arr("errors").Select(e => e!.GetValue<string>()).Should().ContainSingle().Which.Should().StartWith("accounts.csv:3: contract_start:");
        r.Content!["committed"]!.GetValue<bool>().Should().BeFalse();
        Own.Fingerprint().Should().Be(before);
    }

    [Fact]
    public async Task A_nested_folder_and_the_root_itself_are_accepted()
    {
        var nested = await Import("nested/deeper", dryRun: true);
        nested.IsError.Should().BeFalse(nested.Text);
        nested.Content!.Str("folder").Should().Be(Path.Combine("nested", "deeper"));
        var root = await Import(".", dryRun: true);
        root.IsError.Should().BeTrue("the root holds no CSV file");
        root.Text.Should().Contain("no import files");
    }

    public static TheoryData<string, string> Escapes => new()
    {
        { "..", "outside the import root" },
        { "../outside", "outside the import root" },
        { "good/../../outside", "outside the import root" },
        { "/etc", "outside the import root" },
        { "/", "outside the import root" },
        { "link-out", "outside the import root" },
        { "file-link", "leads outside the import root" },
        { "no-such-folder", "not a folder inside the import root" },
        { "", "folder is required" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Paths_leading_outside_the_root_are_refused_and_nothing_is_read(string folder, string expected)
    {
        var before = Own.Fingerprint();
        var r = await Import(folder);
        r.IsError.Should().BeTrue($"{folder} must be refused: {r.Text}");
        r.Text.Should().Contain(expected);
        r.Text.Should().NotContain(fixture.Outside, "the server's own paths are not shown");
        Own.Fingerprint().Should().Be(before);
    }

    [Fact]
    public async Task An_absolute_path_outside_the_root_is_refused_even_when_it_holds_good_files()
    {
        var r = await Import(fixture.Outside);
        r.IsError.Should().BeTrue();
        r.Text.Should().Contain("outside the import root");
    }
}
