using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ValueMcp.Server.App;
using ValueMcp.Store;

namespace ValueMcp.Server.Tools;

/// <summary>ToolResults.Run for an asynchronous tool body (the write tools and import_facts).</summary>
public static class ToolRun
{
    public static async Task<CallToolResult> Async<T>(ILogger logger, string tool, Func<Task<T>> body, Func<T, string> render, Func<T, bool>? isError = null)
        where T : notnull
    {
        try
        {
            var result = await body().ConfigureAwait(false);
            return new CallToolResult
            {
                IsError = isError?.Invoke(result) == true ? true : null,
                Content = [new TextContentBlock { Text = render(result) }],
                StructuredContent = JsonSerializer.SerializeToElement(result, result.GetType(), Json.Options),
            };
        }
        catch (InputException e)
        {
            return ToolResults.Error(e.Message);
        }
        catch (StoreException e)
        {
            return ToolResults.Error(e.Message);
        }
        catch (OperationCanceledException)
        {
            return ToolResults.Error($"{tool} was cancelled; nothing was written.");
        }
        catch (Exception e)
        {
            logger.LogError(e, "tool {Tool} failed", tool);
            return ToolResults.Error($"{tool} failed on the server ({e.GetType().Name}); the details are in the server log. Nothing was changed.");
        }
    }
}
