using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using ModelContextProtocol.Protocol;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Server.Tools;
using ValueMcp.Store;

namespace ValueMcp.Server;

public sealed record ServeOptions(IFactStore Store)
{
    /// <summary>The author of writes by unauthenticated callers (serve --operator); null: VALUEMCP_OPERATOR, else the OS user.</summary>
    public string? Operator { get; init; }
    /// <summary>The directory import_facts may read (serve --import-root); null: VALUEMCP_IMPORT_ROOT, else import_facts is off.</summary>
    public string? ImportRoot { get; init; }
    /// <summary>The scoring policy in force (serve --policy / VALUEMCP_POLICY); the defaults otherwise.</summary>
    public ScoringPolicy Policy { get; init; } = ScoringPolicy.Default;
}

/// <summary>Builds the MCP host. Logs go to stderr: in stdio mode stdout carries the protocol.</summary>
public static class Hosting
{
    public const string ServerName = "valuemcp";

    public static string Version =>
        typeof(Hosting).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public const string Instructions =
        "ValueMcp answers questions about post-sale value across a portfolio of customer accounts: value contracts " +
        "(promised outcomes and their evidence; fulfilment = evidenced / promised), portfolio KPIs, renewal risks, expansion " +
        "readiness, next recommended actions and what changed. Every figure is computed from stored facts as of a date " +
        "(as_of, default today) and comes with the rule that fired. Start with get_portfolio_health, drill down with " +
        "list_accounts and get_account_scorecard. Quote numbers with their definitions and name the accounts.";

    public static IHost BuildStdio(ServeOptions options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        // The console provider behind CanceledRequestLogFilter: a request cancelled (or left open when the session ends)
        // is not a failure to report with a stack trace.
        builder.Services.RemoveAll<ILoggerProvider>();
        builder.Services.AddSingleton<ConsoleLoggerProvider>();
        builder.Services.AddSingleton<ILoggerProvider>(s => new Protocol.CanceledRequestLogFilter(s.GetRequiredService<ConsoleLoggerProvider>()));
        AddValueServices(builder.Services, options);
        AddValueMcp(builder.Services);
        // The SDK's stream transport behind the JSON-RPC gate (Protocol.StdioGate) rather than WithStdioServerTransport:
        // every line gets an answer, and the requests read before the end of input are answered before the server exits.
        builder.Services.AddHostedService(services =>
            new Protocol.StdioGate(Console.OpenStandardInput(), new BufferedStream(Console.OpenStandardOutput()), services));
        return builder.Build();
    }

    /// <summary>
    /// The MCP surface, the same for every transport (stdio and HTTP): server info, tools, prompts, resources and
    /// the request filters.
    /// </summary>
    public static IMcpServerBuilder AddValueMcp(IServiceCollection services) =>
        services
            .AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = ServerName, Title = "ValueMcp: post-sale value intelligence", Version = Version };
                o.ServerInstructions = Instructions;
            })
            .WithFactsIn()
            // A read-role bearer token (HTTP) gets only the read-only tools; over stdio the caller is the operator.
            .WithRequestFilters(f => f.AddListToolsFilter(Security.RoleFilter.ListTools).AddCallToolFilter(Security.RoleFilter.CallTool))
            .WithPrebuiltTools<PortfolioHealthTool>()
            .WithPrebuiltTools<ListAccountsTool>()
            .WithPrebuiltTools<ScorecardTool>()
            .WithPrebuiltTools<RenewalRisksTool>()
            .WithPrebuiltTools<ExpansionReadyTool>()
            .WithPrebuiltTools<MoversTool>()
            .WithPrebuiltTools<CsmBookTool>()
            .WithPrebuiltTools<RetentionMetricsTool>()
            .WithPrebuiltTools<RenewalForecastTool>()
            .WithPrebuiltTools<ForecastAccuracyTool>()
            .WithPrebuiltTools<ExpansionScenarioTool>()
            .WithPrebuiltTools<SegmentInsightsTool>()
            .WithPrebuiltPrompts<WorkflowPrompts>()
            .WithPrebuiltPrompts<ValueContractPrompt>()
            .WithPrebuiltResources<ValueResources>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(ArgumentCheck.Filter))
            // MCP Apps: the tool's ui _meta on its call results too, and the app's CSP on resources/read (Ui.AppMeta).
            .WithRequestFilters(filters => filters.AddCallToolFilter(Ui.AppMeta.CallTool).AddReadResourceFilter(Ui.AppMeta.ReadResource));

    public static void AddValueServices(IServiceCollection services, ServeOptions options)
    {
        services.AddSingleton(options.Store);
        services.AddSingleton(options.Policy);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PortfolioCache>();
        services.AddSingleton<ValueService>();
        services.AddHostedService<PortfolioWarmup>();
        services.AddFactsIn(options);
    }
}

/// <summary>Scores today's portfolio in the background once the server starts, so that the first question finds it ready.</summary>
internal sealed class PortfolioWarmup(ValueService values) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        values.Warm(values.Today);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
