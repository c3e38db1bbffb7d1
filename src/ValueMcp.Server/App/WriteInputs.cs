using System.Globalization;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>
/// Checks of the write tools' arguments. Text is stored as given (trimmed), so it must be printable: no control
/// characters (a note or a reason may hold line breaks and tabs), no broken UTF-16, and a bounded length.
/// </summary>
public static class WriteInputs
{
    public const int MaxId = 200;
    public const int MaxShort = 100;
    public const int MaxTitle = 300;
    public const int MaxNote = 4000;

    /// <summary>An id naming a stored fact: required, one line.</summary>
    public static string Id(string? value, string name) => Text(value, name, MaxId, required: true, multiline: false);

    /// <summary>Optional one-line text (empty when left out).</summary>
    public static string Line(string? value, string name, int max = MaxShort) => Text(value, name, max, required: false, multiline: false);

    public static string RequiredLine(string? value, string name, int max = MaxTitle) => Text(value, name, max, required: true, multiline: false);

    /// <summary>Optional free text: may hold line breaks and tabs.</summary>
    public static string Note(string? value, string name) => Text(value, name, MaxNote, required: false, multiline: true);

    public static string RequiredNote(string? value, string name) => Text(value, name, MaxNote, required: true, multiline: true);

    private static string Text(string? value, string name, int max, bool required, bool multiline)
    {
        var v = value?.Trim() ?? "";
        if (v.Length == 0)
        {
            if (required) throw new InputException($"{name} is required");
            return "";
        }
        if (v.Length > max) throw new InputException($"{name}: {v.Length:N0} characters, longer than the {max:N0} accepted");
        for (var i = 0; i < v.Length; i++)
        {
            var c = v[i];
            if (char.IsHighSurrogate(c) && i + 1 < v.Length && char.IsLowSurrogate(v[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) throw new InputException($"{name}: not valid Unicode text (a lone surrogate at position {i + 1})");
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
                throw new InputException($"{name}: contains a control character (U+{(int)c:X4}) at position {i + 1}; accepted: printable text" +
                    (multiline ? ", tabs and line breaks" : " on one line"));
        }
        return v;
    }

    /// <summary>A date of a fact: ISO, from 1900-01-01, and not after today (a fact is recorded once it happened).</summary>
    public static DateOnly PastDate(string? text, string name, DateOnly today)
    {
        var d = Inputs.Date(text, name, today);
        if (d > today) throw new InputException($"{name}: {FactReader.Iso(d)} is in the future; accepted: a date up to today ({FactReader.Iso(today)}), ISO yyyy-MM-dd");
        return d;
    }

    public static DateOnly? OptionalDate(string? text, string name) =>
        string.IsNullOrWhiteSpace(text) ? null : Inputs.Date(text, name, default);

    /// <summary>
    /// The fact, when it keeps every rule of its kind (FactRules: the same rules as the CSV import's); else the first
    /// rule it breaks, as an InputException.
    /// </summary>
    public static T Valid<T>(FactKind<T> kind, T fact)
    {
        var broken = kind.Check(fact);
        if (broken.Count > 0) throw new InputException(broken[0].ToString());
        return fact;
    }
}
