using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Sort keys, directions, no_contract placement, id tie-breaks, determinism; pagination.</summary>
public class SortTests
{
    private static AccountScore S(AccountBuilder b) => b.Score();

    private static string[] Ids(IEnumerable<AccountScore> sorted) => sorted.Select(a => a.Id).ToArray();

    // arr

    private static readonly AccountScore[] ByArr =
    [
        S(Account("m").WithArr(200m)),
        S(Account("z").WithArr(300m)),
        S(Account("b").WithArr(100m)),
        S(Account("a").WithArr(200m)),
    ];

    [Fact]
    public void Arr_sorts_descending_by_default_ties_by_id_ascending()
    {
        Ids(Portfolio.Sort(ByArr, SortKey.Arr)).Should().Equal("z", "a", "m", "b");
    }

    [Fact]
    public void Arr_explicitly_descending_is_the_default()
    {
        Ids(Portfolio.Sort(ByArr, SortKey.Arr, descending: true)).Should().Equal("z", "a", "m", "b");
    }

    [Fact]
    public void Arr_ascending_when_asked_ties_still_by_id_ascending()
    {
        Ids(Portfolio.Sort(ByArr, SortKey.Arr, descending: false)).Should().Equal("b", "a", "m", "z");
    }

    // fulfilment

    private static readonly AccountScore[] ByFulfilment =
    [
        S(Account("nc2").NoContract()),
        S(Account("f50").Outcomes(4, 2)),
        S(Account("f100").Outcomes(10, 10)),
        S(Account("nc1").NoContract()),
        S(Account("f20").Outcomes(10, 2)),
        S(Account("f50b").Outcomes(10, 5)),
    ];

    [Fact]
    public void Fulfilment_sorts_ascending_by_default_with_no_contract_last()
    {
        Ids(Portfolio.Sort(ByFulfilment, SortKey.Fulfilment)).Should().Equal("f20", "f50", "f50b", "f100", "nc1", "nc2");
    }

    [Fact]
    public void Fulfilment_explicitly_ascending_is_the_default()
    {
        Ids(Portfolio.Sort(ByFulfilment, SortKey.Fulfilment, descending: false)).Should().Equal("f20", "f50", "f50b", "f100", "nc1", "nc2");
    }

    [Fact]
    public void Fulfilment_descending_keeps_no_contract_last_and_ties_by_id_ascending()
    {
        Ids(Portfolio.Sort(ByFulfilment, SortKey.Fulfilment, descending: true)).Should().Equal("f100", "f50", "f50b", "f20", "nc1", "nc2");
    }

    // readiness

    private static readonly AccountScore[] ByReadiness =
    [
        S(Account("blocked").Outcomes(10, 2)),
        S(Account("ready2").Outcomes(10, 10).Utilisation(0.9m)),
        S(Account("not_ready").Outcomes(10, 5)),
        S(Account("emerging").Outcomes(10, 6).Utilisation(0.7m)),
        S(Account("ready1").Outcomes(10, 10).Utilisation(0.95m)),
    ];

    [Fact]
    public void Readiness_sorts_ready_emerging_not_ready_blocked_by_default()
    {
        ByReadiness.Select(a => a.Readiness.Value).Should().BeEquivalentTo(
            [Readiness.Blocked, Readiness.Ready, Readiness.NotReady, Readiness.Emerging, Readiness.Ready]);

        Ids(Portfolio.Sort(ByReadiness, SortKey.Readiness)).Should().Equal("ready1", "ready2", "emerging", "not_ready", "blocked");
        Ids(Portfolio.Sort(ByReadiness, SortKey.Readiness, descending: false)).Should().Equal("ready1", "ready2", "emerging", "not_ready", "blocked");
    }

    [Fact]
    public void Readiness_descending_reverses_the_order_ties_still_by_id_ascending()
    {
        Ids(Portfolio.Sort(ByReadiness, SortKey.Readiness, descending: true)).Should().Equal("blocked", "not_ready", "emerging", "ready1", "ready2");
    }

    [Fact]
    public void Readiness_rank()
    {
        Enum.GetValues<Readiness>().OrderBy(Portfolio.ReadinessRank).Should().Equal(
            Readiness.Ready, Readiness.Emerging, Readiness.NotReady, Readiness.Blocked);
    }

    // renewal date

    private static readonly AccountScore[] ByRenewal =
    [
        S(Account("r300").RenewsInDays(300)),
        S(Account("r-10").RenewsInDays(-10)),
        S(Account("r60b").RenewsInDays(60)),
        S(Account("r60a").RenewsInDays(60)),
    ];

    [Fact]
    public void Renewal_date_sorts_ascending_by_default()
    {
        Ids(Portfolio.Sort(ByRenewal, SortKey.RenewalDate)).Should().Equal("r-10", "r60a", "r60b", "r300");
        Ids(Portfolio.Sort(ByRenewal, SortKey.RenewalDate, descending: false)).Should().Equal("r-10", "r60a", "r60b", "r300");
    }

    [Fact]
    public void Renewal_date_descending_ties_still_by_id_ascending()
    {
        Ids(Portfolio.Sort(ByRenewal, SortKey.RenewalDate, descending: true)).Should().Equal("r300", "r60a", "r60b", "r-10");
    }

    [Fact]
    public void Id_ties_break_by_ordinal_not_culture()
    {
        // ordinal: upper case before lower case, "B" < "a"
        var accounts = new[] { S(Account("a")), S(Account("B")), S(Account("_")) };

        Ids(Portfolio.Sort(accounts, SortKey.Arr)).Should().Equal("B", "_", "a");
    }

    // determinism

    public static TheoryData<SortKey, bool?> KeysAndDirections()
    {
        var data = new TheoryData<SortKey, bool?>();
        foreach (var key in Enum.GetValues<SortKey>())
        {
            data.Add(key, null);
            data.Add(key, true);
            data.Add(key, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(KeysAndDirections))]
    public void Shuffled_inputs_give_the_same_order(SortKey key, bool? descending)
    {
        var accounts = ManyAccounts();
        var expected = Ids(Portfolio.Sort(accounts, key, descending));

        var random = new Random(20260331);
        for (var i = 0; i < 50; i++)
        {
            var shuffled = accounts.ToArray();
            random.Shuffle(shuffled);
            Ids(Portfolio.Sort(shuffled, key, descending)).Should().Equal(expected);
        }
    }

    [Theory]
    [MemberData(nameof(KeysAndDirections))]
    public void Every_adjacent_pair_is_in_order_or_tied_with_ids_ascending(SortKey key, bool? descending)
    {
        var sorted = Portfolio.Sort(ManyAccounts(), key, descending);
        var desc = descending ?? key == SortKey.Arr;

        for (var i = 1; i < sorted.Count; i++)
        {
            var (x, y) = (sorted[i - 1], sorted[i]);
            var c = key switch
            {
                SortKey.Arr => x.Arr.CompareTo(y.Arr),
                SortKey.Readiness => Portfolio.ReadinessRank(x.Readiness.Value).CompareTo(Portfolio.ReadinessRank(y.Readiness.Value)),
                SortKey.RenewalDate => x.Profile.RenewalDate.CompareTo(y.Profile.RenewalDate),
                _ => (x.Fulfilment, y.Fulfilment) switch
                {
                    (null, null) => 0,
                    (null, _) => throw new Xunit.Sdk.XunitException($"no_contract {x.Id} before {y.Id}"),
                    (_, null) => desc ? 1 : -1, // last whatever the direction: counts as "in order"
                    var (fx, fy) => fx!.Value.CompareTo(fy!.Value),
                },
            };
            if (desc) c = -c;
            c.Should().BeLessThanOrEqualTo(0, $"{x.Id} must not come after {y.Id}");
            if (c == 0) string.CompareOrdinal(x.Id, y.Id).Should().BeNegative($"tie between {x.Id} and {y.Id} broken by id");
        }
    }

    /// <summary>60 accounts with deliberately many ties on every key.</summary>
    private static AccountScore[] ManyAccounts() =>
        Enumerable.Range(0, 60).Select(i =>
        {
            var b = Account($"acc-{(i * 37) % 61:D2}")
                .WithArr(100_000m * (i % 4 + 1))
                .RenewsInDays(-20 + 50 * (i % 5));
            b = (i % 6) switch
            {
                0 => b.NoContract(),
                1 => b.Outcomes(10, 10).Utilisation(0.9m),
                2 => b.Outcomes(10, 6).Utilisation(0.7m),
                3 => b.Outcomes(10, 2),
                4 => b.Outcomes(10, 5),
                _ => b.Outcomes(4, 3),
            };
            return S(b);
        }).ToArray();

    // pagination

    private static readonly string[] Five = ["a", "b", "c", "d", "e"];

    [Fact]
    public void First_page_gives_the_next_offset()
    {
        var page = Portfolio.Paginate(Five, offset: 0, limit: 2);

        page.Items.Should().Equal("a", "b");
        page.Total.Should().Be(5);
        page.Offset.Should().Be(0);
        page.NextOffset.Should().Be(2);
    }

    [Fact]
    public void Middle_page_gives_the_next_offset()
    {
        var page = Portfolio.Paginate(Five, offset: 2, limit: 2);

        page.Items.Should().Equal("c", "d");
        page.NextOffset.Should().Be(4);
    }

    [Fact]
    public void Last_page_has_no_next_offset()
    {
        Portfolio.Paginate(Five, offset: 4, limit: 2).Should().Match<Page<string>>(p => p.Items.Count == 1 && p.NextOffset == null);
        Portfolio.Paginate(Five, offset: 3, limit: 2).NextOffset.Should().BeNull("the page ends exactly at the last item");
        Portfolio.Paginate(Five, offset: 0, limit: 5).NextOffset.Should().BeNull();
    }

    [Fact]
    public void Offset_beyond_the_end_gives_an_empty_last_page()
    {
        var page = Portfolio.Paginate(Five, offset: 10, limit: 2);

        page.Items.Should().BeEmpty();
        page.NextOffset.Should().BeNull();
        page.Total.Should().Be(5);
    }

    [Fact]
    public void Walking_the_cursor_visits_every_item_once()
    {
        var seen = new List<string>();
        int? offset = 0;
        while (offset is int o)
        {
            var page = Portfolio.Paginate(Five, o, 2);
            seen.AddRange(page.Items);
            offset = page.NextOffset;
        }
        seen.Should().Equal(Five);
    }

    // Accounts needing attention (csm_book): action priority, then renewal risk (high first), then ARR, then id.

    [Fact]
    public void Accounts_needing_attention_come_by_action_then_renewal_risk_then_arr()
    {
        var accounts = new[]
        {
            S(Account("a").Overdue("Cut cycle time").RenewsInDays(284).WithArr(2_000_000m)),   // capture evidence, risk none
            S(Account("b").Overdue("Cut cycle time").RenewsInDays(128).WithArr(1_050_000m)),   // capture evidence, risk medium
            S(Account("c").Overdue("Cut cycle time").RenewsInDays(190).WithArr(500_000m)),     // capture evidence, risk none
            S(Account("d").Outcomes(10, 5).RenewsInDays(30).WithArr(10_000m)),                 // escalate: risk high
            S(Account("e").RenewsInDays(400)),                                                  // monitor: not listed
        };
        accounts[1].Risk.Value.Should().Be(RenewalRisk.Medium);

        Ids(Portfolio.NeedsAttention(accounts)).Should().Equal("d", "b", "a", "c");
    }
}
