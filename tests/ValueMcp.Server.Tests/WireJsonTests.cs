using System.Reflection;
using System.Text.Json;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Every type on the wire is described at build time (WireJson), as the Native AOT build needs: no reflection-based
/// serialization is left to fall back on, in any build.
/// </summary>
public sealed class WireJsonTests
{
    private static IEnumerable<MethodInfo> Primitives() =>
        typeof(Json).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<McpServerToolTypeAttribute>() is not null || t.GetCustomAttribute<McpServerPromptTypeAttribute>() is not null)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<McpServerToolAttribute>() is not null || m.GetCustomAttribute<McpServerPromptAttribute>() is not null);

    public static TheoryData<string> WireTypes()
    {
        var types = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var m in Primitives())
        {
            foreach (var p in m.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken) &&
                         !p.ParameterType.Namespace!.StartsWith("ModelContextProtocol", StringComparison.Ordinal) &&
                         !p.ParameterType.Namespace!.StartsWith("System.Security", StringComparison.Ordinal)))
                types.Add(p.ParameterType.AssemblyQualifiedName!);
            if (m.GetCustomAttribute<McpServerToolAttribute>()?.OutputSchemaType is { } output) types.Add(output.AssemblyQualifiedName!);
        }
        return new TheoryData<string>(types);
    }

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void Every_argument_and_answer_type_of_a_tool_or_prompt_is_described_at_build_time(string typeName)
    {
        var type = Type.GetType(typeName, throwOnError: true)!;
        WireJson.Default.GetTypeInfo(type).Should().NotBeNull($"{type} must be listed in WireJson ([JsonSerializable])");
    }

    [Fact]
    public void The_list_of_tool_and_prompt_types_is_not_empty()
    {
        WireTypes().Count.Should().BeGreaterThan(10);
        Primitives().Count().Should().BeGreaterThan(15);
    }

    [Fact]
    public void A_type_not_described_is_refused_rather_than_reflected_over()
    {
        var act = () => Json.Serialize(new { Anonymous = 1 });
        act.Should().Throw<NotSupportedException>();
    }

    [Fact]
    public void Enums_are_written_snake_case_and_only_names_are_read()
    {
        Json.Serialize(new TextAudit("x")).Should().Be("""{"text":"x"}""");
        JsonSerializer.Serialize(ExpansionLane.DataIntegration, Json.Options).Should().Be("\"data_integration\"");
        JsonSerializer.Serialize(ActionKind.EscalateRenewalRisk, Json.Options).Should().Be("\"escalate_renewal_risk\"");
        var act = () => JsonSerializer.Deserialize<Band>("1", Json.Options);
        act.Should().Throw<JsonException>();
    }

    [Fact]
    public void Every_scoring_enum_has_its_snake_case_converter()
    {
        var enums = typeof(Band).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic);
        foreach (var e in enums)
        {
            var first = Enum.GetValues(e).GetValue(0)!;
            JsonSerializer.Serialize(first, e, Json.Options).Should().StartWith("\"", $"{e.Name} is written by name");
        }
    }
}
