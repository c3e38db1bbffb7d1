using Microsoft.Extensions.DependencyInjection;
using ValueMcp.Server.App;
using ValueMcp.Server.Tools;

namespace ValueMcp.Server;

/// <summary>Getting facts in (issue 3): the write tools, import_facts, the audit log and read-only mode, for every transport.</summary>
public static class FactsIn
{
    public static IServiceCollection AddFactsIn(this IServiceCollection services, ServeOptions options)
    {
        services.AddSingleton<IAuthorProvider>(new OperatorAuthor(options.Operator));
        services.AddSingleton(new ImportRoot(options.ImportRoot));
        services.AddSingleton<WriteService>();
        return services;
    }

    /// <summary>The tools, and the read-only filters (first, so that a refused call is refused before anything else looks at it).</summary>
    public static IMcpServerBuilder WithFactsIn(this IMcpServerBuilder builder) =>
        builder
            .WithRequestFilters(f => f.AddListToolsFilter(ReadOnlyMode.ListTools).AddCallToolFilter(ReadOnlyMode.CallTool))
            .WithPrebuiltTools<RecordEvidenceTool>()
            .WithPrebuiltTools<AddPromisedOutcomeTool>()
            .WithPrebuiltTools<LogSignalTool>()
            .WithPrebuiltTools<RecordMetricTool>()
            .WithPrebuiltTools<SetOverrideTool>()
            .WithPrebuiltTools<RecordRenewalTool>()
            .WithPrebuiltTools<AuditLogTool>()
            .WithPrebuiltTools<ImportFactsTool>();
}
