namespace ValueMcp.Scoring;

/// <summary>An ARR movement replayed: the ARR of the account right after it.</summary>
public sealed record LedgerEntry(MovementFact Movement, decimal ArrAfter);

/// <summary>
/// The ARR ledger of one account (definitions, "ARR at a date"): movements apply in date order, one day's in the
/// order new, expansion, contraction, churn; new and expansion add, contraction subtracts, churn brings the ARR to 0
/// whatever its amount. The one place this order and this arithmetic are written.
/// </summary>
public static class Ledger
{
    /// <summary>The movements in the order they apply (stable: one day's movements of one kind keep the store's order).</summary>
    public static IReadOnlyList<MovementFact> Ordered(IEnumerable<MovementFact> movements) =>
        movements.OrderBy(m => m.EffectiveDate).ThenBy(m => KindOrder(m.Kind)).ToList();

    /// <summary>The position of a kind within one day: new, expansion, contraction, churn.</summary>
    public static int KindOrder(MovementKind kind) => kind switch
    {
        MovementKind.New => 0,
        MovementKind.Expansion => 1,
        MovementKind.Contraction => 2,
        _ => 3,
    };

    /// <summary>The ARR after one movement applies to arr.</summary>
    public static decimal Apply(decimal arr, MovementFact m) => m.Kind switch
    {
        MovementKind.Churn => 0m,
        MovementKind.Contraction => arr - m.Amount,
        _ => arr + m.Amount,
    };

    /// <summary>Every movement dated on or before asOf, in the order they apply, with the ARR after each.</summary>
    public static IReadOnlyList<LedgerEntry> Replay(IReadOnlyList<MovementFact> movements, DateOnly asOf)
    {
        var arr = 0m;
        var entries = new List<LedgerEntry>(movements.Count);
        foreach (var m in InOrder(movements))
        {
            if (m.EffectiveDate > asOf) break;
            arr = Apply(arr, m);
            entries.Add(new LedgerEntry(m, arr));
        }
        return entries;
    }

    /// <summary>
    /// The ARR at asOf and the date of the last expansion since the account last churned (an expansion before a churn
    /// is not a recent win of the account as it is now).
    /// </summary>
    public static (decimal Arr, DateOnly? LastExpansionAt) At(IReadOnlyList<MovementFact> movements, DateOnly asOf)
    {
        var arr = 0m;
        DateOnly? lastExpansion = null;
        foreach (var m in InOrder(movements))
        {
            if (m.EffectiveDate > asOf) break;
            arr = Apply(arr, m);
            if (m.Kind == MovementKind.Expansion) lastExpansion = m.EffectiveDate;
            else if (m.Kind == MovementKind.Churn) lastExpansion = null;
        }
        return (arr, lastExpansion);
    }

    /// <summary>The movements in applying order, without copying when they already are (the store reads them so).</summary>
    internal static IReadOnlyList<MovementFact> InOrder(IReadOnlyList<MovementFact> movements)
    {
        for (var i = 1; i < movements.Count; i++)
        {
            var a = movements[i - 1];
            var b = movements[i];
            if (a.EffectiveDate > b.EffectiveDate || (a.EffectiveDate == b.EffectiveDate && KindOrder(a.Kind) > KindOrder(b.Kind)))
                return Ordered(movements);
        }
        return movements;
    }
}
