using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Server.Tools;

namespace ValueMcp.Server;

/// <summary>
/// The wire format: snake_case names, snake_case enum values, ISO dates, money and fractions as numbers.
/// Every type on the wire is described at build time (WireJson, System.Text.Json's source generator) rather than by
/// reflection at run time: the same metadata serves the JIT build, the ReadyToRun ones and the Native AOT one
/// (publish profile Aot), where reflection-based serialization does not exist. A type missing from WireJson fails
/// loudly in every build (NotSupportedException), and WireJsonTests checks that every tool's arguments and answer are in it.
/// </summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>value as JSON text, described by its runtime type.</summary>
    public static string Serialize<T>(T value) where T : notnull => JsonSerializer.Serialize(value, Options.GetTypeInfo(value.GetType()));

    /// <summary>value as a JSON element (a tool's structured content), described by its runtime type.</summary>
    public static JsonElement ToElement<T>(T value) where T : notnull => JsonSerializer.SerializeToElement(value, Options.GetTypeInfo(value.GetType()));

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            WriteIndented = false,
            // Ours, then the SDK's for its own protocol types only (CallToolResult, GetPromptResult, ... the return types of
            // the tool methods): the SDK's resolver falls back on reflection for any other type when reflection exists.
            TypeInfoResolver = JsonTypeInfoResolver.Combine(WireJson.Default, new ProtocolTypesOnly(McpJsonUtilities.DefaultOptions.TypeInfoResolver!)),
        };
        // One generic converter per enum (the non-generic factory needs run-time code generation).
        AddEnum<Band>(o);
        AddEnum<Readiness>(o);
        AddEnum<RenewalFlag>(o);
        AddEnum<RenewalRisk>(o);
        AddEnum<Engagement>(o);
        AddEnum<ExpansionLane>(o);
        AddEnum<LifecycleStage>(o);
        AddEnum<Confidence>(o);
        AddEnum<ActionKind>(o);
        AddEnum<EvidenceSource>(o);
        AddEnum<SignalCategory>(o);
        AddEnum<MovementKind>(o);
        AddEnum<MilestoneKind>(o);
        AddEnum<Direction>(o);
        AddEnum<OverrideField>(o);
        AddEnum<SortKey>(o);
        AddEnum<ScenarioRole>(o);
        AddEnum<RetentionGrouping>(o);
        AddEnum<RenewalOutcome>(o);
        AddEnum<RenewalReason>(o);
        AddEnum<RenewalState>(o);
        AddEnum<RenewalDecider>(o);
        AddEnum<ValueMcp.Server.Tools.AccuracyGrouping>(o);
        o.MakeReadOnly();
        return o;
    }

    private sealed class ProtocolTypesOnly(IJsonTypeInfoResolver sdk) : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) => IsProtocol(type) ? sdk.GetTypeInfo(type, options) : null;

        /// <summary>A type of the SDK's, or a collection of them (IList&lt;ContentBlock&gt;, ...).</summary>
        private static bool IsProtocol(Type type) =>
            type.Assembly.GetName().Name is { } name && (name.StartsWith("ModelContextProtocol", StringComparison.Ordinal) ||
                                                         name.StartsWith("Microsoft.Extensions.AI", StringComparison.Ordinal)) ||
            (type.IsArray && IsProtocol(type.GetElementType()!)) ||
            (type.IsGenericType && type.GetGenericArguments().Any(IsProtocol));
    }

    private static void AddEnum<TEnum>(JsonSerializerOptions o) where TEnum : struct, Enum =>
        o.Converters.Add(new JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
}

/// <summary>The build-time description of every type ValueMcp reads or writes as JSON (its nested types come along).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
// The tools' answers (their output schemas).
[JsonSerializable(typeof(PortfolioHealthResult))]
[JsonSerializable(typeof(AccountListResult))]
[JsonSerializable(typeof(ScorecardResult))]
[JsonSerializable(typeof(RenewalRisksResult))]
[JsonSerializable(typeof(ExpansionResult))]
[JsonSerializable(typeof(MoversResult))]
[JsonSerializable(typeof(CsmBookResult))]
[JsonSerializable(typeof(RetentionResult))]
[JsonSerializable(typeof(RenewalForecastResult))]
[JsonSerializable(typeof(ForecastAccuracyResult))]
[JsonSerializable(typeof(ScenarioResultDto))]
[JsonSerializable(typeof(SegmentInsightsResult))]
[JsonSerializable(typeof(ImportResult))]
[JsonSerializable(typeof(EvidenceWritten))]
[JsonSerializable(typeof(OutcomeWritten))]
[JsonSerializable(typeof(SignalWritten))]
[JsonSerializable(typeof(MetricWritten))]
[JsonSerializable(typeof(OverrideWritten))]
[JsonSerializable(typeof(RenewalWritten))]
[JsonSerializable(typeof(AuditLogResult))]
// The tools' and prompts' arguments.
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(decimal?))]
[JsonSerializable(typeof(bool?))]
[JsonSerializable(typeof(LaneInput[]))]
[JsonSerializable(typeof(StageRatesInput))]
// What the SDK asks of the options besides its own types (raw arguments, _meta).
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonElement?))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
// The renewal vocabulary (values of answers and audit arguments).
[JsonSerializable(typeof(RenewalOutcome))]
[JsonSerializable(typeof(RenewalReason))]
[JsonSerializable(typeof(RenewalState))]
[JsonSerializable(typeof(RenewalDecider))]
// The audit log's arguments.
[JsonSerializable(typeof(EvidenceAudit))]
[JsonSerializable(typeof(OutcomeAudit))]
[JsonSerializable(typeof(SignalAudit))]
[JsonSerializable(typeof(OverrideAudit))]
[JsonSerializable(typeof(RenewalAudit))]
[JsonSerializable(typeof(MetricAudit))]
[JsonSerializable(typeof(TextAudit))]
internal sealed partial class WireJson : JsonSerializerContext;
