using System.Security.Claims;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>
/// What the write tools share (Tools/FactsIn): the writer, the author of a call, the clock, the account check and the
/// audit entry. Each write tool checks its arguments (what is accepted is said in each error), appends the fact and its
/// audit entry in one transaction, then answers with the fact and the account card read back after the write.
/// </summary>
public sealed class WriteService(ValueService values, IAuthorProvider authors, TimeProvider clock)
{
    public ValueService Values => values;
    /// <summary>The store the facts are written to (one transaction per fact, with its audit entry).</summary>
    public IFactStore Writer => values.Store;

    /// <summary>Today as a UTC day: the default date of a fact and the as_of of the answer.</summary>
    public DateOnly Today => values.Today;

    public DateTimeOffset Now => clock.GetUtcNow();

    public string Author(ClaimsPrincipal? user) => authors.Author(user);

    public string KnownAccount(string? accountId)
    {
        var id = WriteInputs.Id(accountId, "account_id");
        if (!values.Store.AccountExists(id))
            throw new InputException($"account_id: unknown account \"{Inputs.Show(id)}\"; use list_accounts to find account ids");
        return id;
    }

    public WriteAudit Audit<T>(string operation, string author, T arguments) where T : notnull =>
        new(operation, Json.Serialize(arguments), author, clock.GetUtcNow());
}
