using Microsoft.Extensions.DependencyInjection;
using ValueMcp.Server.Tools;
using ValueMcp.Store;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The catalog (tools, prompts, resources) made at build time (src/ValueMcp.Server/Tools/catalog.json, embedded) is exactly what the SDK's
/// reflection makes of the methods now. A change without the catalog fails here; UPDATE_SNAPSHOTS=1 rewrites it.
/// </summary>
public sealed class CatalogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "valuemcp-catalog-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose() => HttpFixture.Cleanup(_dir);

    [Fact]
    public void The_embedded_catalog_is_what_reflection_makes_of_the_tools_prompts_and_resources()
    {
        Directory.CreateDirectory(_dir);
        using var db = Database.Open(Path.Combine(_dir, "empty.db"));
        var services = new ServiceCollection();
        services.AddLogging();
        Hosting.AddValueServices(services, new ServeOptions(db));
        Hosting.AddValueMcp(services);
        using var provider = services.BuildServiceProvider();

        var actual = Prebuilt.BuildCatalogJson(provider);
        var path = Path.Combine(TestPaths.RepoRoot, "src", "ValueMcp.Server", "Tools", "catalog.json");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") is "1" or "true" && File.ReadAllText(path) != actual)
        {
            File.WriteAllText(path, actual);
            return; // the next build embeds it
        }
        Prebuilt.CatalogJson().Should().Be(actual,
            "the catalog must describe the tools exactly as the SDK would; after changing a tool, prompt or resource, run " +
            "`UPDATE_SNAPSHOTS=1 dotnet test tests/ValueMcp.Server.Tests` and rebuild");
        File.ReadAllText(path).Should().Be(actual, "the source file and the embedded catalog must agree (rebuild)");
    }
}

/// <summary>The portable spelling of nullable values in tool schemas (PortableSchemas).</summary>
public sealed class PortableSchemaTests
{
    [Fact]
    public void An_optional_argument_loses_its_null_type_default_and_enum_value()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse("""
            {"type":"object","properties":{"band":{"description":"d","type":["string","null"],"enum":["a","b",null],"default":null}}}
            """);
        PortableSchemas.Input(schema);
        schema!.ToJsonString().Should().Be("""{"type":"object","properties":{"band":{"description":"d","type":"string","enum":["a","b"]}}}""");
    }

    [Fact]
    public void A_nullable_answer_becomes_any_of_and_references_into_it_follow()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse("""
            {"type":"object","properties":{
              "outcome":{"description":"o","type":["object","null"],"properties":{"due":{"type":["string","null"],"format":"date"}}},
              "other":{"$ref":"#/properties/outcome/properties/due"},
              "same":{"$ref":"#/properties/outcome"}}}
            """);
        PortableSchemas.Output(schema);
        const string expected =
            """{"type":"object","properties":{"outcome":{"description":"o","anyOf":[{"type":"object","properties":{"due":{"anyOf":[{"type":"string","format":"date"},{"type":"null"}]}}},{"type":"null"}]},"other":{"$ref":"#/properties/outcome/anyOf/0/properties/due"},"same":{"$ref":"#/properties/outcome"}}}""";
        schema!.ToJsonString().Should().Be(expected);
    }

    [Fact]
    public void A_free_form_object_says_it_takes_any_property_and_an_empty_schema_beside_a_reference_goes()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse("""
            {"type":"object","properties":{
              "arguments":{"description":"a","type":"object"},
              "map":{"type":"object","additionalProperties":{"type":"number"}},
              "bins":{"type":"array","items":{"type":"object","properties":{"n":{"type":"integer"}}}},
              "again":{"$ref":"#/properties/bins","items":{}}}}
            """);
        PortableSchemas.Output(schema);
        const string expected =
            """{"type":"object","properties":{"arguments":{"description":"a","type":"object","additionalProperties":true},"map":{"type":"object","additionalProperties":{"type":"number"}},"bins":{"type":"array","items":{"type":"object","properties":{"n":{"type":"integer"}}}},"again":{"$ref":"#/properties/bins"}}}""";
        schema!.ToJsonString().Should().Be(expected);
    }

    [Fact]
    public void Every_served_schema_constrains_its_value()
    {
        // What the Inspector's --strict flags as "carries no validation keyword": a schema that accepts any value.
        var catalog = System.Text.Json.Nodes.JsonNode.Parse(Prebuilt.CatalogJson())!;
        var loose = new List<string>();
        void Check(System.Text.Json.Nodes.JsonNode? node, string path)
        {
            if (node is not System.Text.Json.Nodes.JsonObject o) return;
            if (!o.Any(kv => kv.Key is not ("description" or "title" or "default" or "examples"))) loose.Add(path);
            foreach (var (key, child) in o)
                switch (key)
                {
                    case "properties" when child is System.Text.Json.Nodes.JsonObject props:
                        foreach (var (name, p) in props) Check(p, $"{path}.properties.{name}");
                        break;
                    case "items" or "additionalProperties":
                        Check(child, $"{path}.{key}");
                        break;
                    case "anyOf" or "oneOf" or "allOf" when child is System.Text.Json.Nodes.JsonArray branches:
                        for (var i = 0; i < branches.Count; i++) Check(branches[i], $"{path}.{key}[{i}]");
                        break;
                }
        }
        foreach (var tool in catalog["tools"]!.AsArray())
        {
            Check(tool!["inputSchema"], $"{tool["name"]}.inputSchema");
            Check(tool["outputSchema"], $"{tool["name"]}.outputSchema");
        }
        loose.Should().BeEmpty();
    }

    [Fact]
    public void The_served_schemas_have_no_type_arrays()
    {
        Prebuilt.CatalogJson().Should().NotContain("\"type\": [", "every nullable type is spelled portably");
    }
}
