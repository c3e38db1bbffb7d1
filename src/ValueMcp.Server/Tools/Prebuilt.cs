using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ValueMcp.Server.Tools;

/// <summary>
/// The MCP surface described from a catalog made at build time (src/ValueMcp.Server/Tools/catalog.json, embedded):
/// tools (name, title, annotations, input and output schemas, _meta), prompts and resources, as the list methods give
/// them. Working those out by reflection at every start costs about half a second of a cold start (the SDK builds
/// each JSON schema through AIFunctionFactory); reading the catalog costs a few milliseconds. Behind each entry is
/// still the SDK's own primitive (McpServerTool/Prompt/Resource.Create over the method, exactly as WithTools,
/// WithPrompts and WithResources make them), made after the handshake: on a background thread once a client lists
/// them, or on its first use, whichever comes first.
/// The catalog is exactly what reflection gives: CatalogTests compares the two and, with UPDATE_SNAPSHOTS=1, rewrites
/// the file. An entry missing from the catalog is described by reflection when first asked, so nothing is ever lost.
/// </summary>
public static class Prebuilt
{
    public const string CatalogResource = "ValueMcp.Server.Tools.catalog.json";

    private const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.PublicConstructors;

    private static readonly Lazy<Catalog> Entries = new(() => Catalog.Parse(CatalogJson()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Starts reading the catalog on a pool thread, so that it is ready by the first list request; the start itself
    /// never waits for it (the primitives are registered by name and read their descriptions when first asked).
    /// </summary>
    public static void Preload() => ThreadPool.UnsafeQueueUserWorkItem(_ =>
    {
        try { _ = Entries.Value; }
        catch (Exception) { /* never fatal here: the list request that reads the catalog answers the error */ }
    }, null);

    /// <summary>Registers the [McpServerTool] methods of T (as WithTools&lt;T&gt;(Json.Options) would), described from the catalog.</summary>
    public static IMcpServerBuilder WithPrebuiltTools<[DynamicallyAccessedMembers(Members)] T>(this IMcpServerBuilder builder) where T : class
    {
        foreach (var method in Methods<McpServerToolAttribute>(typeof(T)))
        {
            var name = method.GetCustomAttribute<McpServerToolAttribute>()!.Name!;
            builder.Services.AddSingleton<McpServerTool>(services => new DescribedTool(name, () => Tool(typeof(T), method, services)));
        }
        return builder;
    }

    /// <summary>Registers the [McpServerPrompt] methods of T (as WithPrompts&lt;T&gt;(Json.Options) would), described from the catalog.</summary>
    public static IMcpServerBuilder WithPrebuiltPrompts<[DynamicallyAccessedMembers(Members)] T>(this IMcpServerBuilder builder) where T : class
    {
        foreach (var method in Methods<McpServerPromptAttribute>(typeof(T)))
        {
            var name = method.GetCustomAttribute<McpServerPromptAttribute>()!.Name!;
            builder.Services.AddSingleton<McpServerPrompt>(services => new DescribedPrompt(name, () => Prompt(typeof(T), method, services)));
        }
        return builder;
    }

    /// <summary>Registers the [McpServerResource] methods of T (as WithResources&lt;T&gt;() would), described from the catalog.</summary>
    public static IMcpServerBuilder WithPrebuiltResources<[DynamicallyAccessedMembers(Members)] T>(this IMcpServerBuilder builder) where T : class
    {
        foreach (var method in Methods<McpServerResourceAttribute>(typeof(T)))
        {
            var uri = method.GetCustomAttribute<McpServerResourceAttribute>()!.UriTemplate!;
            builder.Services.AddSingleton<McpServerResource>(services => new DescribedResource(uri, () => Resource(typeof(T), method, services)));
        }
        return builder;
    }

    private static IEnumerable<MethodInfo> Methods<TAttribute>([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type type)
        where TAttribute : Attribute =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(m => m.GetCustomAttribute<TAttribute>() is not null);

    private static object Target([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type type, IServiceProvider? request, IServiceProvider root) =>
        ActivatorUtilities.CreateInstance(request ?? root, type);

    // The SDK's primitives, made the way its WithTools/WithPrompts/WithResources make them: a new T per request.
    private static McpServerTool Tool([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type type, MethodInfo method, IServiceProvider services)
    {
        var options = new McpServerToolCreateOptions { Services = services, SerializerOptions = Json.Options };
        return method.IsStatic ? McpServerTool.Create(method, target: null, options) : McpServerTool.Create(method, r => Target(type, r.Services, services), options);
    }

    private static McpServerPrompt Prompt([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type type, MethodInfo method, IServiceProvider services)
    {
        var options = new McpServerPromptCreateOptions { Services = services, SerializerOptions = Json.Options };
        return method.IsStatic ? McpServerPrompt.Create(method, target: null, options) : McpServerPrompt.Create(method, r => Target(type, r.Services, services), options);
    }

    private static McpServerResource Resource([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type type, MethodInfo method, IServiceProvider services)
    {
        var options = new McpServerResourceCreateOptions { Services = services };
        return method.IsStatic ? McpServerResource.Create(method, target: null, options) : McpServerResource.Create(method, r => Target(type, r.Services, services), options);
    }

    /// <summary>
    /// The catalog as reflection makes it now, from every tool, prompt and resource class of this assembly, with the tool
    /// schemas in their portable spelling (PortableSchemas): keys sorted, entries sorted by name (resources by URI),
    /// two-space indent, LF. CatalogTests compares it with the embedded one.
    /// </summary>
    [RequiresUnreferencedCode("Finds the primitive classes among all of the assembly's types: for CatalogTests, never while serving.")]
    public static string BuildCatalogJson(IServiceProvider services)
    {
        var types = typeof(Prebuilt).Assembly.GetTypes();
        IEnumerable<(Type Type, MethodInfo Method)> All<TClass, TMethod>() where TClass : Attribute where TMethod : Attribute =>
            types.Where(t => t.GetCustomAttribute<TClass>() is not null).SelectMany(t => Methods<TMethod>(t).Select(m => (t, m)));

        var tools = All<McpServerToolTypeAttribute, McpServerToolAttribute>().Select(x => Tool(x.Type, x.Method, services).ProtocolTool).OrderBy(t => t.Name, StringComparer.Ordinal);
        var prompts = All<McpServerPromptTypeAttribute, McpServerPromptAttribute>().Select(x => Prompt(x.Type, x.Method, services).ProtocolPrompt).OrderBy(p => p.Name, StringComparer.Ordinal);
        var resources = All<McpServerResourceTypeAttribute, McpServerResourceAttribute>().Select(x => Resource(x.Type, x.Method, services))
            .OrderBy(r => r.ProtocolResourceTemplate.UriTemplate, StringComparer.Ordinal).ToList();
        var catalog = new JsonObject
        {
            ["prompts"] = Array(prompts),
            ["resource_templates"] = Array(resources.Select(r => r.ProtocolResourceTemplate)),
            ["resources"] = Array(resources.Select(r => r.ProtocolResource).OfType<Resource>()),
            ["tools"] = Array(tools),
        };
        foreach (var tool in catalog["tools"]!.AsArray().OfType<JsonObject>())
        {
            PortableSchemas.Input(tool["inputSchema"]);
            PortableSchemas.Output(tool["outputSchema"]);
        }
        return CanonicalJson.Text(catalog);
    }

    private static JsonArray Array<T>(IEnumerable<T> items) =>
        new([.. items.Select(item => JsonSerializer.SerializeToNode(item, (JsonTypeInfo<T>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(T))))]);

    /// <summary>The embedded catalog's text ("{}" when the build has none).</summary>
    public static string CatalogJson() => EmbeddedText.Read(CatalogResource) ?? "{}";

    private sealed record Catalog(
        IReadOnlyDictionary<string, Tool> Tools,
        IReadOnlyDictionary<string, Prompt> Prompts,
        IReadOnlyDictionary<string, ResourceTemplate> Templates,
        IReadOnlyDictionary<string, Resource> Resources)
    {
        public static Catalog Parse(string json)
        {
            var root = JsonNode.Parse(json)?.AsObject() ?? [];
            // Entry by entry: the SDK describes its protocol types at build time, but not lists of them.
            List<T> Read<T>(string key) where T : class =>
                root[key] is JsonArray items
                    ? [.. items.Select(item => item.Deserialize((JsonTypeInfo<T>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(T)))!)]
                    : [];
            return new Catalog(
                Read<Tool>("tools").ToDictionary(t => t.Name, StringComparer.Ordinal),
                Read<Prompt>("prompts").ToDictionary(p => p.Name, StringComparer.Ordinal),
                Read<ResourceTemplate>("resource_templates").ToDictionary(t => t.UriTemplate, StringComparer.Ordinal),
                Read<Resource>("resources").ToDictionary(r => r.Uri, StringComparer.Ordinal));
        }
    }

    // The primitives below are registered under their name (URI template for resources): the SDK keys its collections by
    // IMcpServerPrimitive.Id, so nothing reads a description before a client lists or uses them. An entry missing from
    // the catalog is described by the SDK's own primitive, made then. When a client lists them (right after the
    // handshake, seconds before an assistant's first call), each queues the making of its SDK primitive on a background
    // thread, so the first call rarely waits for it.

    /// <summary>The SDK primitive behind an entry, made once, on first use or by the warming thread.</summary>
    private sealed class Deferred<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(Func<T> make) where T : class
    {
        private readonly Lazy<T> _made = new(make, LazyThreadSafetyMode.ExecutionAndPublication);

        public T Made => _made.Value;

        /// <summary>The catalog's description when it has one, else the made primitive's; either way, queues the making.</summary>
        public TDescription Describe<TDescription>(TDescription? described, Func<T, TDescription> ofMade) where TDescription : class
        {
            Warm(_made);
            return described ?? ofMade(_made.Value);
        }
    }

    private static readonly System.Collections.Concurrent.BlockingCollection<Action> WarmQueue = StartWarming();

    /// <summary>Queues the making of a primitive for the warming thread (one, below normal priority, so that it never
    /// holds up the pool threads that answer requests); a call that comes first makes it itself (Lazy).</summary>
    private static void Warm<T>(Lazy<T> made)
    {
        if (!made.IsValueCreated) WarmQueue.TryAdd(() => _ = made.Value);
    }

    private static System.Collections.Concurrent.BlockingCollection<Action> StartWarming()
    {
        var queue = new System.Collections.Concurrent.BlockingCollection<Action>();
        var thread = new Thread(() =>
        {
            foreach (var make in queue.GetConsumingEnumerable())
            {
                try
                {
                    make();
                }
                catch (Exception)
                {
                    // Lazy keeps the exception: the call that needs the primitive reports it.
                }
            }
        })
        {
            IsBackground = true,
            Priority = ThreadPriority.BelowNormal,
            Name = "valuemcp primitives warm-up",
        };
        thread.Start();
        return queue;
    }

    /// <summary>A tool described by the catalog; the SDK's tool behind it is made on its first call.</summary>
    private sealed class DescribedTool(string name, Func<McpServerTool> make) : McpServerTool, IMcpServerPrimitive
    {
        private readonly Deferred<McpServerTool> _sdk = new(make);

        string IMcpServerPrimitive.Id => name;
        public override Tool ProtocolTool => _sdk.Describe(Entries.Value.Tools.GetValueOrDefault(name), t => t.ProtocolTool);
        public override IReadOnlyList<object> Metadata => _sdk.Made.Metadata;

        public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
            _sdk.Made.InvokeAsync(request, cancellationToken);
    }

    /// <summary>A prompt described by the catalog; the SDK's prompt behind it is made on its first use.</summary>
    private sealed class DescribedPrompt(string name, Func<McpServerPrompt> make) : McpServerPrompt, IMcpServerPrimitive
    {
        private readonly Deferred<McpServerPrompt> _sdk = new(make);

        string IMcpServerPrimitive.Id => name;
        public override Prompt ProtocolPrompt => _sdk.Describe(Entries.Value.Prompts.GetValueOrDefault(name), p => p.ProtocolPrompt);
        public override IReadOnlyList<object> Metadata => _sdk.Made.Metadata;

        public override ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> request, CancellationToken cancellationToken = default) =>
            _sdk.Made.GetAsync(request, cancellationToken);
    }

    /// <summary>A resource (or template) described by the catalog; the SDK's resource behind it is made on its first read.</summary>
    private sealed class DescribedResource(string uriTemplate, Func<McpServerResource> make) : McpServerResource, IMcpServerPrimitive
    {
        private readonly Deferred<McpServerResource> _sdk = new(make);

        string IMcpServerPrimitive.Id => uriTemplate;

        public override ResourceTemplate ProtocolResourceTemplate =>
            _sdk.Describe(Entries.Value.Templates.GetValueOrDefault(uriTemplate), r => r.ProtocolResourceTemplate);

        public override Resource? ProtocolResource => Entries.Value.Templates.ContainsKey(uriTemplate)
            ? Entries.Value.Resources.GetValueOrDefault(uriTemplate)
            : _sdk.Made.ProtocolResource;

        public override IReadOnlyList<object> Metadata => _sdk.Made.Metadata;

        public override bool IsMatch(string uri) =>
            ProtocolResource is { } fixedUri ? string.Equals(uri, fixedUri.Uri, StringComparison.Ordinal) : _sdk.Made.IsMatch(uri);

        public override ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken = default) =>
            _sdk.Made.ReadAsync(request, cancellationToken);
    }
}
