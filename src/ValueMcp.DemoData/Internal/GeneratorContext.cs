namespace ValueMcp.DemoData.Internal;

/// <summary>Portfolio-wide settings derived from the options: archetype assignment, id widths, team sizes.</summary>
internal sealed class GeneratorContext
{
    public const int MaxOutcomesPerAccount = 6;
    public const int MaxEvidencePerOutcome = 5;
    public const int MaxSignalsPerAccount = 40;

    private readonly byte[] _archetypeOf;

    public GeneratorContext(GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Accounts < 1 || options.Accounts > 10_000_000)
            throw new ArgumentOutOfRangeException(nameof(options), options.Accounts, "Accounts must be between 1 and 10,000,000.");
        Accounts = options.Accounts;
        Seed = options.Seed;
        FullYearReadings = options.FullYearReadings;
        Anchor = options.AnchorDate ?? PortfolioGenerator.DemoAnchorDate;
        AccountIdWidth = Math.Max(4, Format.Digits(Accounts));
        OutcomeIdWidth = Math.Max(5, Format.Digits((long)Accounts * MaxOutcomesPerAccount));
        EvidenceIdWidth = Math.Max(6, Format.Digits((long)Accounts * MaxOutcomesPerAccount * MaxEvidencePerOutcome));
        SignalIdWidth = Math.Max(6, Format.Digits((long)Accounts * MaxSignalsPerAccount));
        CsmCount = Math.Max(5, (Accounts + 29) / 30);
        AccountManagerCount = Math.Max(4, (Accounts + 39) / 40);
        _archetypeOf = AssignArchetypes(Accounts, Seed);
    }

    public int Accounts { get; }
    public int Seed { get; }
    public bool FullYearReadings { get; }
    public DateOnly Anchor { get; }
    public int AccountIdWidth { get; }
    public int OutcomeIdWidth { get; }
    public int EvidenceIdWidth { get; }
    public int SignalIdWidth { get; }
    public int CsmCount { get; }
    public int AccountManagerCount { get; }

    public Archetype ArchetypeOf(int index) => Archetypes.All[_archetypeOf[index]];

    public string AccountId(int index) => Format.Id("ACC-", index + 1, AccountIdWidth);

    /// <summary>
    /// Apportions the archetypes by weight (largest remainder), at least one of each when the
    /// portfolio is big enough, then shuffles: every verdict the demo must show is guaranteed.
    /// </summary>
    private static byte[] AssignArchetypes(int n, int seed)
    {
        var all = Archetypes.All;
        var rng = Rng.For(seed, 0xA5, 0);
        var result = new byte[n];
        if (n < all.Length)
        {
            var weights = all.Select(a => a.Weight).ToArray();
            for (var i = 0; i < n; i++) result[i] = (byte)rng.Weighted(weights);
            return result;
        }

        long total = all.Sum(a => a.Weight);
        var quota = all.Select(a => (double)a.Weight * n / total).ToArray();
        var counts = quota.Select(q => Math.Max(1, (int)Math.Floor(q))).ToArray();
        var sum = counts.Sum();
        while (sum < n)
        {
            var best = 0;
            for (var i = 1; i < counts.Length; i++)
                if (quota[i] - counts[i] > quota[best] - counts[best]) best = i;
            counts[best]++;
            sum++;
        }
        while (sum > n)
        {
            var best = -1;
            for (var i = 0; i < counts.Length; i++)
                if (counts[i] > 1 && (best < 0 || counts[i] - quota[i] > counts[best] - quota[best])) best = i;
            counts[best]--;
            sum--;
        }

        var k = 0;
        for (var a = 0; a < counts.Length; a++)
            for (var j = 0; j < counts[a]; j++)
                result[k++] = (byte)a;
        rng.Shuffle(result);
        return result;
    }
}
