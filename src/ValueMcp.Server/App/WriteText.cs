using System.Globalization;

namespace ValueMcp.Server.App;

/// <summary>Text shared by the write tools' answers (Tools/FactsIn).</summary>
public static class WriteText
{
    public static string V(decimal? v) => v is decimal d ? d.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";

    public static string Account(AccountCard a, DateOnly asOf) => $"Account after the write (as of {Text.Date(asOf)}):\n{AccountCard.Line(a)}";
}
