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
            return Success(body(), render, null);
        }
        catch (Exception e)
        {
            return Failure(logger, tool, e);
        }
    }

    /// <summary>Run for an asynchronous body (the write tools and import_facts); isError marks a result that is a refusal.</summary>
    public static async Task<CallToolResult> RunAsync<T>(ILogger logger, string tool, Func<Task<T>> body, Func<T, string> render,
        Func<T, bool>? isError = null) where T : notnull
    {
        try
        {
            return Success(await body().ConfigureAwait(false), render, isError);
        }
        catch (Exception e)
        {
            return Failure(logger, tool, e);
        }
    }

    private static CallToolResult Success<T>(T result, Func<T, string> render, Func<T, bool>? isError) where T : notnull => new()
    {
        IsError = isError?.Invoke(result) == true ? true : null,
        Content = [new TextContentBlock { Text = render(result) }],
        StructuredContent = Json.ToElement(result),
    };

    private static CallToolResult Failure(ILogger logger, string tool, Exception e)
    {
        switch (e)
        {
            case InputException or StoreException:
                return Error(e.Message);
            case OperationCanceledException:
                return Error($"{tool} was cancelled; nothing was written.");
            default:
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
