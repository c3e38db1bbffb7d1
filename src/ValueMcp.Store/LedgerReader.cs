using Dapper;
using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>Reads the ARR ledger for retention and the milestone facts for the measured forward model.</summary>
public sealed class LedgerReader(Database db)
{
    /// <summary>
    /// Every account's movements dated before `before`, one account at a time, ordered by account id; each account's
    /// movements by date then kind (new, expansion, contraction, churn). One SQL query, streamed: only the current
    /// account's movements are held in memory. Accounts without a movement before `before` are not returned.
    /// </summary>
    public IEnumerable<AccountLedger> StreamLedgers(DateOnly before)
    {
        using var c = db.OpenRead();
        LedgerAccount? current = null;
        var movements = new List<LedgerMovement>();
        foreach (var r in c.Query<LedgerRow>(Sql.Ledger, new { before = FactReader.Iso(before) }, buffered: false))
        {
            if (current is null || !string.Equals(current.Id, r.AccountId, StringComparison.Ordinal))
            {
                if (current is not null) yield return new AccountLedger(current, movements);
                current = new LedgerAccount(r.AccountId, r.Segment, r.Tier, r.Csm, FactReader.ParseDate(r.ContractStart));
                movements = [];
            }
            if (!Wire.TryParse<MovementKind>(r.Kind, out var kind))
                throw new StoreException($"arr_movements: unknown kind \"{r.Kind}\" for account {r.AccountId}");
            movements.Add(new LedgerMovement(FactReader.ParseDate(r.EffectiveDate), kind, Money.FromCents(r.AmountCents), r.Lane));
        }
        if (current is not null) yield return new AccountLedger(current, movements);
    }

    /// <summary>Ids of the accounts that reached the adopted milestone on or before asOf.</summary>
    public IReadOnlySet<string> AdoptedAccounts(DateOnly asOf)
    {
        using var c = db.OpenRead();
        return c.Query<string>(Sql.AdoptedAccounts, new { asOf = FactReader.Iso(asOf) }).ToHashSet(StringComparer.Ordinal);
    }

    internal sealed class LedgerRow
    {
        public string AccountId { get; set; } = "";
        public string Segment { get; set; } = "";
        public string Tier { get; set; } = "";
        public string Csm { get; set; } = "";
        public string ContractStart { get; set; } = "";
        public string EffectiveDate { get; set; } = "";
        public string Kind { get; set; } = "";
        public long AmountCents { get; set; }
        public string Lane { get; set; } = "";
    }
}
