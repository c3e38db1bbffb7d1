namespace ValueMcp.Store;

/// <summary>Strings in the order of their Unicode code points: the byte order of their UTF-8, the store's order of text.</summary>
public sealed class CodePointOrder : IComparer<string>
{
    public static CodePointOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a == b) continue;
            // UTF-16 puts surrogates (code points above U+FFFF) below U+E000..U+FFFF; code point order puts them above.
            if (char.IsSurrogate(a) != char.IsSurrogate(b) && (a >= '\uE000' || b >= '\uE000'))
                return char.IsSurrogate(a) ? 1 : -1;
            return a.CompareTo(b);
        }
        return x.Length.CompareTo(y.Length);
    }
}
