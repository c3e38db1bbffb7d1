using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ValueMcp.Scoring;
using ValueMcp.Server.App;

namespace ValueMcp.Server.Tests;

/// <summary>value://glossary and value://accounts/{id}, read through a real McpClient.</summary>
[Collection(ServerCollection.Name)]
public sealed class ResourceTests(ServerFixture server)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private async Task<string> Read(string uri)
    {
        var result = await server.Client.ReadResourceAsync(uri, cancellationToken: Timeout);
        return result.Contents.OfType<TextResourceContents>().Should().ContainSingle().Subject.Text;
    }

    [Fact]
    public async Task The_glossary_and_the_account_template_are_listed()
    {
        var resources = await server.Client.ListResourcesAsync(cancellationToken: Timeout);
        resources.Should().Contain(r => r.Uri == "value://glossary" && r.MimeType == "text/markdown");
        var templates = await server.Client.ListResourceTemplatesAsync(cancellationToken: Timeout);
        templates.Should().Contain(t => t.UriTemplate == "value://accounts/{id}" && t.MimeType == "application/json");
    }

    [Fact]
    public async Task The_glossary_lists_every_policy_field_with_its_value_in_force()
    {
        var text = await Read("value://glossary");
        foreach (var p in typeof(ScoringPolicy).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"))
        {
            var name = Wire.ToSnake(p.Name);
            text.Should().Contain($"| {name} | ", $"the glossary must list the policy field {p.Name}");
            text.Should().Contain(p.GetCustomAttribute<DescriptionAttribute>()!.Description.Replace("|", "\\|", StringComparison.Ordinal));
        }
        text.Should().Contain("| on_track_fulfilment | 0.70 |").And.Contain("| renewal_probability_high_risk | 0.40 |");
        text.Should().Contain("Scenario rules").And.Contain("NRR = (S + E - C - X) / S");
        text.Should().Be(Glossary.Markdown(ScoringPolicy.Default), "the server (whichever build) serves the glossary made from the policy, in its order");
    }

    [Fact]
    public void The_glossary_is_generated_from_the_policy_in_force()
    {
        var policy = ScoringPolicy.Default with { OnTrackFulfilment = 0.75m, RenewalProbabilityLowRisk = 0.88m };
        var text = Glossary.Markdown(policy);
        text.Should().Contain("| on_track_fulfilment | 0.75 |").And.Contain("| base, renewal risk low | 0.88 |");
        Glossary.Thresholds(policy).Should().HaveCount(
            typeof(ScoringPolicy).GetProperties(BindingFlags.Public | BindingFlags.Instance).Count(p => p.Name != "EqualityContract"));
    }

    [Fact]
    public async Task An_account_reads_as_its_scorecard_json()
    {
        var id = server.Facts.Accounts[0]["id"];
        var json = JsonNode.Parse(await Read($"value://accounts/{id}"))!.AsObject();
        json.Str("id").Should().Be(id);
        json.Str("name").Should().Be(server.Facts.Accounts[0]["name"]);
        json.Arr("outcomes").Should().NotBeNull();
        json.Obj("reasons").Should().ContainKey("band");
    }

    [Fact]
    public async Task An_unknown_account_is_an_mcp_error_naming_the_id()
    {
        var act = () => Read("value://accounts/NO-SUCH-ACCOUNT");
        (await act.Should().ThrowAsync<McpException>()).Which.Message.Should().Contain("unknown account id \"NO-SUCH-ACCOUNT\"");
    }
}
