using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ValueMcp.DemoData;
using ValueMcp.Store;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Every read answer (structured content and text) of the demo portfolio and of a generated 20,000-account portfolio,
/// at several as_of dates, pinned by its SHA-256 in Golden/answers.tsv. A change to how answers are computed (the data
/// path, a cache, the store's queries) must leave every byte of every answer as it was; a change that means to alter
/// answers rewrites the file with UPDATE_SNAPSHOTS=1 and says so.
/// </summary>
public sealed class GoldenAnswersTests
{
    private static string GoldenFile => Path.Combine(TestPaths.ProjectDir, "Golden", "answers.tsv");

    private static readonly string[] AsOfDates = ["2026-11-24", "2026-09-30", "2026-03-15", "2025-12-31"];

    [Fact]
    public async Task Every_read_answer_is_byte_identical_to_the_pinned_one()
    {
        var actual = new List<(string Key, string Hash)>();
        await using (var demo = await OwnServer.Start("golden-demo"))
            actual.AddRange(await Answers("demo", demo.Client));

        var dir = OwnServer.NewDir("golden-20k");
        Directory.CreateDirectory(dir);
        var csv = Path.Combine(dir, "csv");
        PortfolioGenerator.Write(csv, new GeneratorOptions(20_000, Metrics: false));
        TestStore.Imported(TestStore.Target(Path.Combine(dir, "own.db")), csv);
        await using (var large = await OwnServer.Start("golden-20k", dir: dir))
            actual.AddRange(await Answers("generated-20000", large.Client));

        var lines = actual.Select(a => $"{a.Key}\t{a.Hash}").ToList();
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(GoldenFile)!);
            File.WriteAllText(GoldenFile, string.Join("\n", lines) + "\n");
            return;
        }
        File.Exists(GoldenFile).Should().BeTrue($"{GoldenFile} pins the answers; UPDATE_SNAPSHOTS=1 writes it");
        var expected = File.ReadAllLines(GoldenFile).Where(l => l.Length > 0).ToList();
        var expectedByKey = expected.ToDictionary(l => l.Split('\t')[0], l => l.Split('\t')[1], StringComparer.Ordinal);
        var differing = actual.Where(a => !expectedByKey.TryGetValue(a.Key, out var h) || h != a.Hash).Select(a => a.Key).ToList();
        differing.Should().BeEmpty("these answers changed (UPDATE_SNAPSHOTS=1 rewrites the pins when a change is meant)");
        actual.Select(a => a.Key).Should().Equal(expected.Select(l => l.Split('\t')[0]), "the same calls are pinned");
    }

    /// <summary>The calls, in a fixed order; ids and CSM names are taken from the answers themselves.</summary>
    private static async Task<List<(string, string)>> Answers(string portfolio, McpClient client)
    {
        var answers = new List<(string, string)>();
        async Task<JsonObject?> Tool(string tool, string args)
        {
            var arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(args)!
                .ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var result = await client.CallToolAsync(tool, arguments, cancellationToken: cts.Token);
            var structured = result.StructuredContent is null ? "" : JsonSerializer.Serialize(result.StructuredContent);
            answers.Add(($"{portfolio} {tool} {args}", Hash(structured + "\n---\n" + ServerFixture.Text(result) + "\n---\n" + (result.IsError ?? false))));
            return result.StructuredContent is null ? null : JsonNode.Parse(structured)!.AsObject();
        }

        async Task Prompt(string name, Dictionary<string, object?> args)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var prompt = await client.GetPromptAsync(name, args, cancellationToken: cts.Token);
            var text = string.Join("\n", prompt.Messages.Select(m => m.Content is TextContentBlock t ? t.Text : m.Content.Type));
            answers.Add(($"{portfolio} prompt {name} {string.Join(",", args.Select(kv => $"{kv.Key}={kv.Value}"))}", Hash(text)));
        }

        var glossary = await client.ReadResourceAsync("value://glossary");
        answers.Add(($"{portfolio} resource value://glossary", Hash(string.Concat(glossary.Contents.OfType<TextResourceContents>().Select(c => c.Text)))));

        foreach (var asOf in AsOfDates)
        {
            var a = $"\"as_of\":\"{asOf}\"";
            await Tool("get_portfolio_health", $"{{{a}}}");
            await Tool("get_portfolio_health", $"{{{a},\"segment\":\"enterprise\"}}");
            await Tool("get_portfolio_health", $"{{{a},\"band\":\"at_risk\",\"renewal_within_days\":180}}");
            await Tool("get_portfolio_health", $"{{{a},\"tier\":\"1\",\"min_arr\":100000}}");
            var byArr = await Tool("list_accounts", $"{{{a},\"limit\":200}}");
            await Tool("list_accounts", $"{{{a},\"sort_by\":\"fulfilment\",\"limit\":50}}");
            await Tool("list_accounts", $"{{{a},\"sort_by\":\"readiness\",\"descending\":true,\"limit\":50,\"cursor\":\"50\"}}");
            await Tool("list_accounts", $"{{{a},\"sort_by\":\"renewal_date\",\"lifecycle_stage\":\"renewal\",\"limit\":25}}");
            await Tool("list_renewal_risks", $"{{{a}}}");
            await Tool("list_renewal_risks", $"{{{a},\"within_days\":90,\"min_risk\":\"medium\",\"limit\":200}}");
            await Tool("expansion_ready_accounts", $"{{{a}}}");
            await Tool("expansion_ready_accounts", $"{{{a},\"include_emerging\":true,\"limit\":200}}");
            await Tool("portfolio_movers", $"{{{a}}}");
            await Tool("portfolio_movers", $"{{{a},\"days\":30}}");
            await Tool("segment_insights", $"{{{a}}}");
            await Tool("renewal_forecast", $"{{{a},\"period_start\":\"{asOf}\",\"period_end\":\"{DateOnly.Parse(asOf).AddDays(120):yyyy-MM-dd}\"}}");
            await Tool("retention_metrics", $"{{{a},\"period_start\":\"{DateOnly.Parse(asOf).AddDays(-365):yyyy-MM-dd}\",\"period_end\":\"{asOf}\",\"group_by\":\"segment\"}}");
            await Tool("renewal_forecast", $"{{{a},\"period_start\":\"{asOf}\",\"period_end\":\"{DateOnly.Parse(asOf).AddDays(120):yyyy-MM-dd}\",\"probabilities\":\"measured\"}}");
            await Tool("forecast_accuracy", $"{{{a},\"period_start\":\"{DateOnly.Parse(asOf).AddDays(-365):yyyy-MM-dd}\",\"period_end\":\"{asOf}\",\"group_by\":\"segment\"}}");
            await Tool("forecast_accuracy", $"{{{a},\"period_start\":\"{DateOnly.Parse(asOf).AddDays(-365):yyyy-MM-dd}\",\"period_end\":\"{asOf}\",\"horizon_days\":30,\"group_by\":\"csm\",\"limit\":5}}");
            await Tool("retention_metrics", $"{{{a},\"period_start\":\"{DateOnly.Parse(asOf).AddDays(-365):yyyy-MM-dd}\",\"period_end\":\"{asOf}\",\"group_by\":\"cohort_quarter\"}}");
            await Tool("model_expansion_scenario", $"{{{a},\"from_portfolio\":true}}");

            var cards = byArr?["accounts"]?.AsArray() ?? [];
            foreach (var id in cards.Take(3).Concat(cards.TakeLast(2)).Select(c => (string)c!["id"]!))
                await Tool("get_account_scorecard", $"{{{a},\"account_id\":\"{id}\"}}");
            var csms = cards.Select(c => (string)c!["csm"]!).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(2).ToList();
            foreach (var csm in csms)
                await Tool("csm_book", $"{{{a},\"csm\":\"{csm}\"}}");

            await Prompt("board_prep_summary", new() { ["as_of"] = asOf });
            await Prompt("weekly_at_risk_review", new() { ["as_of"] = asOf, ["days"] = "14" });
            await Prompt("forecast_review", new() { ["as_of"] = asOf });
            if (csms.Count > 0) await Prompt("csm_coaching", new() { ["as_of"] = asOf, ["csm"] = csms[0] });
        }
        return answers;
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
