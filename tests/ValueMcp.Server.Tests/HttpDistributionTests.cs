using System.Text.Json.Nodes;
using ValueMcp.Server.Cli;

namespace ValueMcp.Server.Tests;

/// <summary>
/// What ships describes the program as it is: .mcp/server.json (packed into the .NET tool) names the version and only
/// options and variables that exist, and mcp.json configures stdio and HTTP without a token in it.
/// (scripts/tool-install-check.sh packs, installs from ./artifacts and runs valuemcp --version in CI.)
/// </summary>
public sealed class HttpDistributionTests
{
    private static JsonObject ServerJson() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "ValueMcp.Server", ".mcp", "server.json")))!.AsObject();

    [Fact]
    public void Server_json_has_the_version_and_the_package_id_of_the_build()
    {
        var json = ServerJson();
        json["version"]!.GetValue<string>().Should().Be(Hosting.Version);
        foreach (var package in json["packages"]!.AsArray())
        {
            package!["identifier"]!.GetValue<string>().Should().Be("ValueMcp");
            package["registryType"]!.GetValue<string>().Should().Be("nuget");
            package["version"]!.GetValue<string>().Should().Be(Hosting.Version);
        }
        json["packages"]!.AsArray().Select(p => p!["transport"]!["type"]!.GetValue<string>())
            .Should().BeEquivalentTo(["stdio", "streamable-http"]);
    }

    [Fact]
    public void Server_json_names_only_options_and_variables_that_exist()
    {
        var serve = Commands.Root().Subcommands.Single(c => c.Name == "serve");
        var options = serve.Options.Select(o => o.Name).ToHashSet();
        var source = string.Join("\n", Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        foreach (var package in ServerJson()["packages"]!.AsArray())
        {
            foreach (var argument in package!["packageArguments"]!.AsArray().Where(a => a!["type"]!.GetValue<string>() == "named"))
                options.Should().Contain(argument!["name"]!.GetValue<string>());
            foreach (var variable in package["environmentVariables"]!.AsArray())
                source.Should().Contain($"\"{variable!["name"]!.GetValue<string>()}\"", "the variable is read somewhere in src");
        }
    }

    [Fact]
    public void Mcp_json_has_stdio_and_http_entries_and_no_token()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "mcp.json"));
        var servers = JsonNode.Parse(text)!["servers"]!.AsObject();
        servers.Select(s => s.Value!["type"]!.GetValue<string>()).Should().Contain(["stdio", "http"]);
        var http = servers.Single(s => s.Value!["type"]!.GetValue<string>() == "http").Value!;
        http["url"]!.GetValue<string>().Should().Be("http://127.0.0.1:5057/mcp");
        http["headers"]!["Authorization"]!.GetValue<string>().Should().Be("Bearer ${input:valuemcp-token}", "the token is asked for, never written down");
        text.Should().NotContain("vmcp_");
    }
}
