using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;

namespace ValueMcp.Server.Tests;

/// <summary>The server process itself: stdout carries nothing but the protocol; a database it cannot open is reported.</summary>
[Collection(ServerCollection.Name)]
public sealed class ProcessTests(ServerFixture server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Stdout_carries_only_json_rpc_messages()
    {
        var start = ServerFixture.ServerStart("serve", "--db", server.DbPath, "--read-only");
        start.RedirectStandardInput = start.RedirectStandardOutput = start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stderr = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            var lines = new List<string>();

            async Task<JsonNode> Send(string json, int? id)
            {
                await process.StandardInput.WriteLineAsync(json);
                await process.StandardInput.FlushAsync();
                if (id is null) return new JsonObject();
                while (true)
                {
                    var line = await process.StandardOutput.ReadLineAsync(cts.Token)
                               ?? throw new InvalidOperationException("the server closed stdout; stderr: " + string.Join("\n", stderr));
                    lines.Add(line);
                    var message = JsonNode.Parse(line)!;
                    if (message["id"]?.GetValue<int>() == id) return message;
                }
            }

            var init = await Send("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw-e2e","version":"1.0"}}}""", 1);
            init["result"]?["serverInfo"]?["name"]?.GetValue<string>().Should().Be("valuemcp");
            await Send("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", null);
            var call = await Send("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_portfolio_health","arguments":{"as_of":"2026-11-24"}}}""", 2);
            call["result"]?["structuredContent"]?["kpis"]?["account_count"]?.GetValue<int>()
                .Should().Be(server.Facts.ActiveAt(ServerFixture.AsOf).Count);
            var bad = await Send("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_accounts","arguments":{"limit":0}}}""", 3);
            bad["result"]?["isError"]?.GetValue<bool>().Should().BeTrue();

            process.StandardInput.Close();
            var rest = await process.StandardOutput.ReadToEndAsync(cts.Token);
            lines.AddRange(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            await process.WaitForExitAsync(cts.Token);

            foreach (var line in lines)
            {
                var act = () => JsonNode.Parse(line);
                act.Should().NotThrow<JsonException>($"every stdout line is a JSON-RPC message, not: {line}");
                JsonNode.Parse(line)!["jsonrpc"]?.GetValue<string>().Should().Be("2.0", $"stdout line: {line}");
            }
            process.ExitCode.Should().Be(0, "closing stdin ends the server cleanly");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Serving_a_missing_database_read_only_reports_it_and_creates_nothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "valuemcp-e2e-missing-" + Guid.NewGuid().ToString("N")[..12]);
        var missing = Path.Combine(dir, "nothing.db");
        var stderr = new ConcurrentQueue<string>();
        {
            // The server refuses to start: it exits with 2 (bad input) and says why on stderr, before speaking any protocol.
            var start = ServerFixture.ServerStart("serve", "--db", missing, "--read-only");
            start.RedirectStandardError = start.RedirectStandardOutput = start.RedirectStandardInput = true;
            using var process = Process.Start(start)!;
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
            process.BeginErrorReadLine();
            using var cts = new CancellationTokenSource(Timeout);
            await process.WaitForExitAsync(cts.Token);
            process.ExitCode.Should().Be(2);
            (await process.StandardOutput.ReadToEndAsync(cts.Token)).Should().BeEmpty("nothing but protocol ever goes to stdout");
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!stderr.Any(l => l.Contains("database not found", StringComparison.OrdinalIgnoreCase)) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        stderr.Should().Contain(l => l.Contains("database not found", StringComparison.OrdinalIgnoreCase) && l.Contains(missing, StringComparison.Ordinal),
            "stderr names the missing database");
        Directory.Exists(dir).Should().BeFalse("a read-only serve never creates the database or its folder");
    }
}
