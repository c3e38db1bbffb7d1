using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
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
            // Progress is collected by a handler that lives as long as the client. CallToolAsync(..., IProgress) drops
            // its handler when the answer arrives, and the client dispatches notifications on its own schedule: under
            // load (CI's Native AOT run) every notification came after that and none was seen.
            progressHandler = Own.Client.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (n, _) =>
            {
                if (n.Params?.Deserialize<ProgressNotificationParams>(McpJsonUtilities.DefaultOptions) is { } p)
                    Progress.GetOrAdd(p.ProgressToken.ToString() ?? "", _ => new()).Enqueue(p.Progress);
                return ValueTask.CompletedTask;
            });
        }

        private IAsyncDisposable? progressHandler;
        public ConcurrentDictionary<string, ConcurrentQueue<ProgressNotificationValue>> Progress { get; } = new();

        public async Task DisposeAsync()
        {
            if (progressHandler is not null) await progressHandler.DisposeAsync();
            await Own.DisposeAsync();
        }
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
        var token = $"import-{Guid.NewGuid():N}";
        var progress = fixture.Progress.GetOrAdd(token, _ => new());
        var args = Args(("folder", folder));
        if (dryRun is bool d) args["dry_run"] = d;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await Own.Client.CallToolAsync(new CallToolRequestParams
        {
            Name = "import_facts",
            Arguments = args.ToDictionary(a => a.Key, a => JsonSerializer.SerializeToElement(a.Value, McpJsonUtilities.DefaultOptions)),
            Meta = new JsonObject { ["progressToken"] = token },
        }, cts.Token);
        var content = result.StructuredContent is { } sc ? JsonNode.Parse(JsonSerializer.Serialize(sc))!.AsObject() : null;
        return (result.IsError ?? false, ServerFixture.Text(result), content, progress);
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

        // Progress: one notification per file at least, increasing, ending at the total. The client hands notifications to
        // their handler on its own schedule: under heavy load (CI at load 50) they came more than 10 s after the answer.
        var deadline = DateTime.UtcNow.AddSeconds(60);
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
    [Fact]
    public async Task A_refused_import_reports_rows_read_and_no_counts_that_did_not_happen()
    {
        var r = await Import("bad");
        r.IsError.Should().BeTrue();
        r.Text.Should().Contain("accounts.csv: 2 rows read").And.NotContain("inserted").And.NotContain("updated").And.NotContain("unchanged");
        var file = r.Content!.Objects("files").Should().ContainSingle().Subject;
        (file.Int("rows"), file.Int("inserted"), file.Int("updated"), file.Int("unchanged")).Should().Be((2, 0, 0, 0));
    }

    [Fact]
    public async Task A_file_named_instead_of_a_folder_is_told_to_give_the_folder()
    {
        var r = await Import("good/accounts.csv");
        r.IsError.Should().BeTrue();
        r.Text.Should().Contain("\"good/accounts.csv\" is a file").And.Contain("give the folder that holds accounts.csv");
    }

    [Fact]
    public async Task A_named_pipe_in_place_of_an_import_file_is_refused_without_hanging()
    {
        if (OperatingSystem.IsWindows()) return; // no named pipes in the file system
        var dir = Path.Combine(fixture.Root, "fifo");
        Directory.CreateDirectory(dir);
        var fifo = Path.Combine(dir, "accounts.csv");
        MakeFifo(fifo);
        var before = Own.Fingerprint();
        var call = Import("fifo");
        try
        {
            var r = await call; // before the fix, the server waited for a writer and the call timed out
            r.IsError.Should().BeTrue();
            r.Text.Should().Contain("accounts.csv:1: empty or not a regular file (a named pipe, a socket or a device)");
            Own.Fingerprint().Should().Be(before);
        }
        finally
        {
            if (!call.IsCompletedSuccessfully) Release(fifo);
        }
    }

    [Fact]
    public async Task Twenty_thousand_unknown_columns_give_a_bounded_answer()
    {
        var unknown = Enumerable.Range(1, 20_000).Select(i => $"crm_field_{i}").ToList();
        Write(Path.Combine(fixture.Root, "wide"), new()
        {
            ["accounts.csv"] = "id,name,contract_start,renewal_date," + string.Join(",", unknown) + "\n" +
                "WIDE-1,Wide Inc,2025-01-01,2026-12-31" + new string(',', unknown.Count) + "\n",
        });
        var r = await Import("wide", dryRun: true);
        r.IsError.Should().BeFalse(r.Text[..Math.Min(2000, r.Text.Length)]);
        var warnings = r.Content!.Arr("warnings").Select(w => w!.GetValue<string>()).ToList();
        warnings.Should().HaveCount(101);
        warnings[^1].Should().Be("... and 19,900 more warnings");
        r.Text.Length.Should().BeLessThan(64 * 1024);
        r.Content!.ToJsonString().Length.Should().BeLessThan(64 * 1024);
    }

    /// <summary>The same outcome is refused by the import and by add_promised_outcome with the same words (one rule, two doors).</summary>
    public static TheoryData<string, string, string, string> SameRules => new()
    {
        { "due_date", "X-1,ACC-0001,Go live,,,,,,2026-06-01,2026-05-01,", """{"account_id":"ACC-0001","title":"Go live","promised_at":"2026-06-01","due_date":"2026-05-01"}""",
            "is before promised_at (2026-06-01); accepted: a date on or after it" },
        { "target", "X-2,ACC-0001,Grow,m,u,10,5,increase,2026-06-01,,", """{"account_id":"ACC-0001","title":"Grow","metric":"m","unit":"u","baseline":10,"target":5,"direction":"increase","promised_at":"2026-06-01"}""",
            "does not increase from the baseline 10" },
        { "direction", "X-3,ACC-0001,Grow,m,u,10,50,,2026-06-01,,", """{"account_id":"ACC-0001","title":"Grow","metric":"m","unit":"u","baseline":10,"target":50,"promised_at":"2026-06-01"}""",
            "required when a target is given; accepted: increase" },
    };

    [Theory]
    [MemberData(nameof(SameRules))]
    public async Task The_import_and_the_write_tool_refuse_an_outcome_with_the_same_rule(string column, string csvRow, string toolArgs, string message)
    {
        var folder = "same-rule-" + column;
        Write(Path.Combine(fixture.Root, folder), new() { ["outcomes.csv"] = "id,account_id,title,metric,unit,baseline,target,direction,promised_at,due_date,source\n" + csvRow + "\n" });

        var imported = await Import(folder, dryRun: true);
        imported.IsError.Should().BeTrue(imported.Text);
        var line = imported.Content!.Arr("errors").Select(e => e!.GetValue<string>()).Should().ContainSingle().Subject;
        line.Should().StartWith($"outcomes.csv:2: {column}: ").And.Contain(message);

        var tool = await Own.Call("add_promised_outcome", toolArgs);
        (tool.IsError ?? false).Should().BeTrue();
        var text = ServerFixture.Text(tool);
        text.Should().StartWith($"{column}: ").And.Contain(message);
    }

    private static void MakeFifo(string path)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        p.WaitForExit();
        p.ExitCode.Should().Be(0);
    }

    /// <summary>Opens the pipe for writing and closes it: a reader blocked in opening it reads an empty file and goes on.</summary>
    private static void Release(string fifo)
    {
        using var w = new FileStream(fifo, FileMode.Open, FileAccess.Write);
    }
}
