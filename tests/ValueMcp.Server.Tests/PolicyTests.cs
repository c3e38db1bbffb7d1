using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Protocol;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Thresholds by configuration (issue 11): serve --policy FILE and VALUEMCP_POLICY set any field of the scoring policy
/// (snake_case, as the glossary prints it); the rest keep their defaults; a bad file is refused at start (exit 2) with
/// the field and what it accepts. The policy in force reaches cards, KPIs, reasons and the glossary.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PolicyTests(ServerFixture server) : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(OwnServer.NewDir("policy")).FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string PolicyFile(string json, string name = "policy.json")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static async Task<string> Glossary(ModelContextProtocol.Client.McpClient client)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await client.ReadResourceAsync("value://glossary", cancellationToken: cts.Token);
        return result.Contents.OfType<TextResourceContents>().Single().Text;
    }

    private static Dictionary<string, JsonObject> ById(JsonObject list) => list.Objects("accounts").ToDictionary(a => a.Str("id"));

    [Fact]
    public async Task A_changed_band_threshold_moves_cards_kpis_reasons_and_the_glossary()
    {
        var file = PolicyFile("""{ "on_track_fulfilment": 0.9 }""");
        await using var own = await OwnServer.Start("policy-band", ["--policy", file, "--read-only"]);

        var args = J.Args(("limit", 200), ("as_of", ServerFixture.AsOfText));
        var before = ById(await server.Ok("list_accounts", args));
        var after = ById(await own.Ok("list_accounts", args));
        after.Keys.Should().BeEquivalentTo(before.Keys);

        var moved = before.Values.Where(c => c["fulfilment"] is not null && c.Dec("fulfilment") is >= 0.7m and < 0.9m).Select(c => c.Str("id")).ToList();
        moved.Should().NotBeEmpty("the demo has accounts between the default and the changed threshold");
        foreach (var id in moved)
        {
            before[id].Str("band").Should().Be("on_track", id);
            after[id].Str("band").Should().Be("at_risk", $"{id} has fulfilment {after[id].Dec("fulfilment")} < 0.9");
        }
        foreach (var id in before.Keys.Except(moved))
            after[id].Str("band").Should().Be(before[id].Str("band"), $"{id} is not between the thresholds");

        var card = await own.Ok("get_account_scorecard", J.Args(("account_id", moved[0]), ("as_of", ServerFixture.AsOfText)));
        card.Obj("reasons").Str("band").Should().StartWith("at_risk: ").And.Contain("< 0.9");

        var healthBefore = (await server.Ok("get_portfolio_health", J.Args(("as_of", ServerFixture.AsOfText)))).Obj("kpis");
        var healthAfter = (await own.Ok("get_portfolio_health", J.Args(("as_of", ServerFixture.AsOfText)))).Obj("kpis");
        var onTrackAfter = after.Values.Count(c => c.Str("band") == "on_track");
        healthAfter.Dec("on_track_pct").Should().Be((decimal)onTrackAfter / after.Count);
        healthAfter.Dec("on_track_pct").Should().BeLessThan(healthBefore.Dec("on_track_pct"));
        healthAfter.Dec("arr_at_risk").Should().Be(healthBefore.Dec("arr_at_risk") + moved.Sum(id => after[id].Dec("arr")));

        var glossary = await Glossary(own.Client);
        glossary.Should().Contain("| on_track_fulfilment | 0.90 |").And.Contain("| at_risk_fulfilment | 0.40 |", "a field the file leaves out keeps its default");
        (await Glossary(server.Client)).Should().Contain("| on_track_fulfilment | 0.70 |");
    }

    [Fact]
    public async Task VALUEMCP_POLICY_names_the_file_and_the_option_wins_over_it()
    {
        var fromEnv = PolicyFile("""{ "recent_window_days": 30, "renewal_red_days": 60 }""", "env.json");
        var fromOption = PolicyFile("""{ "recent_window_days": 45 }""", "option.json");

        await using (var env = await OwnServer.Start("policy-env", ["--read-only"], new Dictionary<string, string?> { ["VALUEMCP_POLICY"] = fromEnv }))
        {
            var glossary = await Glossary(env.Client);
            glossary.Should().Contain("| recent_window_days | 30 |").And.Contain("| renewal_red_days | 60 |");
            var list = await env.Ok("list_accounts", J.Args(("limit", 200), ("as_of", ServerFixture.AsOfText)));
            list.Objects("accounts").ShouldAll(c => c.Str("renewal_flag") == (c.Int("days_to_renewal") <= 60 ? "red" : c.Int("days_to_renewal") <= 180 ? "amber" : "none"),
                "the renewal flag follows renewal_red_days 60");
        }

        await using var both = await OwnServer.Start("policy-both", ["--read-only", "--policy", fromOption],
            new Dictionary<string, string?> { ["VALUEMCP_POLICY"] = fromEnv });
        var g = await Glossary(both.Client);
        g.Should().Contain("| recent_window_days | 45 |").And.Contain("| renewal_red_days | 90 |", "--policy replaces VALUEMCP_POLICY entirely");
    }

    public static TheoryData<string, string[]> BadFiles() => new()
    {
        { """{ "on_track_fulfilment": 0.9, "on_track_threshold": 0.8 }""", ["unknown field \"on_track_threshold\"", "on_track_fulfilment, at_risk_fulfilment"] },
        { """{ "on_track_fulfilment": "0.9" }""", ["on_track_fulfilment", "a string", "a number from 0 to 1"] },
        { """{ "recent_window_days": 90.5 }""", ["recent_window_days", "a whole number of days from 1 to 3650"] },
        { """{ "on_track_fulfilment": 1.5 }""", ["on_track_fulfilment: accepted: a number from 0 to 1 (got 1.5)"] },
        { """{ "at_risk_fulfilment": 0.8 }""", ["at_risk_fulfilment: accepted: at most on_track_fulfilment (0.70) (got 0.8)"] },
        { """{ "renewal_red_days": null }""", ["renewal_red_days", "null", "a whole number of days from 0 to 3650"] },
        { """{ "on_track_fulfilment": 0.9, "on_track_fulfilment": 0.8 }""", ["on_track_fulfilment", "more than once"] },
        { """[ 0.9 ]""", ["a JSON object"] },
        { """{ "on_track_fulfilment": 0.9 """, ["not valid JSON"] },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_policy_file_is_refused_at_start_with_exit_2_naming_the_field(string json, string[] expected)
    {
        var file = PolicyFile(json);
        var run = await ImportCommandTests.Valuemcp("serve", "--db", Path.Combine(_dir, "never.db"), "--read-only", "--policy", file);

        run.ExitCode.Should().Be(2, run.Stderr);
        run.Stdout.Should().BeEmpty("nothing but the protocol goes to stdout, and the server never started");
        run.Stderr.Should().Contain(file);
        foreach (var e in expected) run.Stderr.Should().Contain(e);
        File.Exists(Path.Combine(_dir, "never.db")).Should().BeFalse();
    }

    [Fact]
    public async Task A_missing_policy_file_is_refused_with_exit_2_also_from_the_environment()
    {
        var missing = Path.Combine(_dir, "nope.json");
        var run = await ImportCommandTests.Valuemcp("serve", "--db", Path.Combine(_dir, "never.db"), "--read-only", "--policy", missing);
        run.ExitCode.Should().Be(2, run.Stderr);
        run.Stderr.Should().Contain("policy file not found").And.Contain(missing);

        var start = ServerFixture.ServerStart("serve", "--db", Path.Combine(_dir, "never.db"), "--read-only");
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.Environment["VALUEMCP_POLICY"] = missing;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        process.ExitCode.Should().Be(2);
        (await stderr).Should().Contain("VALUEMCP_POLICY").And.Contain("policy file not found");
    }

    [Fact]
    public async Task The_portfolio_command_takes_a_policy_too()
    {
        var db = OwnServer.NewDemoDatabase(Path.Combine(_dir, "cli"));
        var file = PolicyFile("""{ "on_track_fulfilment": 1.0 }""");
        var strict = await ImportCommandTests.Valuemcp("portfolio", "--db", db, "--as-of", ServerFixture.AsOfText, "--policy", file);
        strict.ExitCode.Should().Be(0, strict.Stderr);

        var list = await server.Ok("list_accounts", J.Args(("limit", 200), ("as_of", ServerFixture.AsOfText)));
        var perfect = list.Objects("accounts").Count(c => c["fulfilment"] is not null && c.Dec("fulfilment") == 1m);
        var total = list.Int("total");
        strict.Stdout.Should().Contain($"{perfect} accounts", "the On track card counts accounts with fulfilment 1.0 under on_track_fulfilment 1.0");
        strict.Stdout.Should().Contain(App.Text.Pct((decimal)perfect / total));

        var bad = await ImportCommandTests.Valuemcp("portfolio", "--db", db, "--policy", PolicyFile("""{ "band": 1 }""", "bad.json"));
        bad.ExitCode.Should().Be(2);
        bad.Stderr.Should().Contain("unknown field \"band\"");
    }
}
