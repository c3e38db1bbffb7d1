using System.Globalization;
using System.Text;

namespace ValueMcp.DemoData.Internal;

/// <summary>
/// A minimal RFC 4180 writer: comma separator, LF line ends, UTF-8 without BOM, invariant
/// formatting. Fields containing a comma, a double quote, CR or LF are quoted, quotes doubled.
/// </summary>
internal sealed class CsvWriter : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly StreamWriter _writer;
    private bool _atRowStart = true;

    private readonly IReadOnlyList<string> _header;

    public CsvWriter(string path, IReadOnlyList<string> header)
    {
        _header = header;
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new StreamWriter(stream, Utf8NoBom, 1 << 16) { NewLine = "\n" };
        foreach (var h in header) Field(h);
        EndRowCore();
    }

    /// <summary>Data rows written (the header is not counted).</summary>
    public long Rows { get; private set; }

    public CsvWriter Field(string? value)
    {
        if (!_atRowStart) _writer.Write(',');
        _atRowStart = false;
        if (string.IsNullOrEmpty(value)) return this;
        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            _writer.Write('"');
            _writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            _writer.Write('"');
        }
        else
        {
            _writer.Write(value);
        }
        return this;
    }

    /// <summary>Writes one row: the value of each column of the header, in its order (null or empty: an empty field).</summary>
    public void Row(Func<string, string?> value)
    {
        for (var i = 0; i < _header.Count; i++) Field(value(_header[i]));
        EndRow();
    }

    public void EndRow()
    {
        EndRowCore();
        Rows++;
    }

    private void EndRowCore()
    {
        _writer.Write('\n');
        _atRowStart = true;
    }

    public void Dispose() => _writer.Dispose();
}

internal static class Format
{
    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>'.' decimal point, no thousands separator, at most 2 decimals, no trailing zeros.</summary>
    public static string Number(decimal d) => d.ToString("0.##", CultureInfo.InvariantCulture);

    public static string? Number(decimal? d) => d is { } v ? Number(v) : null;

    public static string? Date(DateOnly? d) => d is { } v ? Date(v) : null;

    public static string? Int(int? n) => n?.ToString(CultureInfo.InvariantCulture);

    public static string Id(string prefix, long n, int width) => prefix + n.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');

    public static int Digits(long n) => n.ToString(CultureInfo.InvariantCulture).Length;
}
