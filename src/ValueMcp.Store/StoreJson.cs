using System.Text.Json.Serialization;

namespace ValueMcp.Store;

/// <summary>An import's audit entry arguments: {"source": ..., "files": [{"file", "rows", "inserted", "updated", "unchanged"}]}.</summary>
internal sealed record ImportAudit(string Source, IReadOnlyList<FileCounts> Files);

/// <summary>The store's own JSON, described at build time (no reflection at run time, so it works in a Native AOT build).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ImportAudit))]
internal sealed partial class StoreJson : JsonSerializerContext;
