using ModelContextProtocol.Protocol;

namespace ValueMcp.Server.Protocol;

public enum GateOutcome
{
    /// <summary>A well-formed message: hand it to the SDK unchanged.</summary>
    Forward,
    /// <summary>Not a message the server can take: answer it with the JSON-RPC error.</summary>
    Answer,
    /// <summary>A notification or a response that is wrong: JSON-RPC never answers those; log it and drop it.</summary>
    Drop,
}

public enum MessageKind
{
    /// <summary>Not JSON, or JSON that is not a JSON-RPC message.</summary>
    Unknown,
    Request,
    Notification,
    Response,
}

/// <summary>What the gate decided about one incoming message.</summary>
public sealed record GateVerdict(GateOutcome Outcome, MessageKind Kind)
{
    /// <summary>The message's id when it is valid (a request's or a response's); null otherwise.</summary>
    public RequestId? Id { get; init; }

    /// <summary>The method of a request or notification, shown capped (for answers and logs).</summary>
    public string Method { get; init; } = "";

    /// <summary>Answer and Drop: the JSON-RPC error code and a message naming the field and what is accepted.</summary>
    public int Code { get; init; }
    public string Message { get; init; } = "";

    /// <summary>Forward: the message as the SDK reads it.</summary>
    public JsonRpcMessage? Parsed { get; init; }

    /// <summary>Forward, notifications/cancelled: the request it cancels (which then gets no answer).</summary>
    public RequestId? Cancels { get; init; }

    /// <summary>
    /// The error is about the message itself (not JSON, not one JSON-RPC message, or a notification or response that
    /// cannot be taken) rather than about a well-formed request's method or params. HTTP answers the first with 400,
    /// the second with 200 (the error is then the request's answer).
    /// </summary>
    public bool IsAboutMessage => Outcome == GateOutcome.Drop || Code is JsonRpcCodes.ParseError or JsonRpcCodes.InvalidRequest;

    public bool IsInitialize => Kind == MessageKind.Request && Method == RequestMethods.Initialize;

    /// <summary>The JSON-RPC error answer (Answer), or the id-less error an HTTP 400 carries (Drop).</summary>
    public byte[] Answer() => JsonRpcAnswer.Error(Outcome == GateOutcome.Answer ? Id : null, Code, Message);
}
