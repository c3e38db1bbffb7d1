using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ValueMcp.Server.App;
using ValueMcp.Store;

namespace ValueMcp.Server.Tools;

/// <summary>
/// Turns a tool body into a result: structured content plus its short text rendering; bad input becomes an isError
/// result that says what is accepted; anything unexpected is logged (stderr) and answered without a stack trace.
/// </summary>
public static class ToolResults
{
    public static CallToolResult Run<T>(ILogger logger, string tool, Func<T> body, Func<T, string> render) where T : notnull
    {
        try
        {
            var result = body();
            return new CallToolResult
            {
                Content = [new TextContentBlock { Text = render(result) }],
                StructuredContent = JsonSerializer.SerializeToElement(result, result.GetType(), Json.Options),
            };
        }
        catch (InputException e)
        {
            return Error(e.Message);
        }
        catch (StoreException e)
        {
            return Error(e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "tool {Tool} failed", tool);
            return Error($"{tool} failed on the server ({e.GetType().Name}); the details are in the server log. Nothing was changed.");
        }
    }

    public static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };
}
