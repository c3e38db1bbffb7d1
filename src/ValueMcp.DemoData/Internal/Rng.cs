using System.Numerics;

namespace ValueMcp.DemoData.Internal;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Our own implementation so that a seed gives the same
/// sequence on every runtime and machine (System.Random's algorithm is not a contract).
/// Only integer arithmetic decides what is generated; doubles are used for probabilities only,
/// built from 53 random bits, which is exact IEEE arithmetic everywhere.
/// </summary>
internal sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>An independent stream for (seed, purpose, index): account i's facts never depend on account j's.</summary>
    public static Rng For(int seed, ulong purpose, ulong index)
    {
        var x = (ulong)(uint)seed ^ (purpose << 40);
        var a = SplitMix(ref x);
        var y = a ^ (index * 0xD1B54A32D192ED03UL);
        return new Rng(SplitMix(ref y));
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, maxExclusive), unbiased.</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        var bound = (ulong)maxExclusive;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var r = NextUInt64();
            if (r >= threshold) return (int)(r % bound);
        }
    }

    /// <summary>Uniform in [min, max], both included.</summary>
    public int Range(int min, int max)
    {
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), $"empty range [{min}, {max}]");
        return min + Next(max - min + 1);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Index drawn with integer weights.</summary>
    public int Weighted(IReadOnlyList<int> weights)
    {
        var total = 0;
        foreach (var w in weights) total += w;
        var r = Next(total);
        for (var i = 0; i < weights.Count; i++)
        {
            if (r < weights[i]) return i;
            r -= weights[i];
        }
        return weights.Count - 1;
    }

    public DateOnly Date(DateOnly from, DateOnly to) => from.AddDays(Range(0, to.DayNumber - from.DayNumber));

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
