using Microsoft.Data.Sqlite;
using ValueMcp.DemoData;

namespace ValueMcp.Store.Tests;

/// <summary>
/// A stored value the schema does not allow (a damaged or hand-edited store) is refused loudly when read, naming the
/// table, the column and the value: never read as a default (SQLite reads a text as 0 when asked for a number).
/// </summary>
public sealed class StoredValueTests
{
    public static TheoryData<string, string, string> Damages => new()
    {
        { "UPDATE accounts SET contracted_capacity = 'lots' WHERE id = 'ACC-0001'", "accounts.contracted_capacity", "lots" },
        { "UPDATE accounts SET used_capacity = x'00ff' WHERE id = 'ACC-0001'", "accounts.used_capacity", "" },
        { "UPDATE arr_movements SET amount_cents = 'ten' WHERE account_id = 'ACC-0001'", "arr_movements.amount_cents", "ten" },
        { "UPDATE arr_movements SET amount_cents = 12.5 WHERE account_id = 'ACC-0001'", "arr_movements.amount_cents", "12.5" },
        { "UPDATE outcomes SET baseline = 'n/a' WHERE account_id = 'ACC-0001'", "outcomes.baseline", "n/a" },
        { "UPDATE outcomes SET target = 'high' WHERE account_id = 'ACC-0001'", "outcomes.target", "high" },
        { "UPDATE evidence SET observed_value = 'about 5' WHERE outcome_id IN (SELECT id FROM outcomes WHERE account_id = 'ACC-0001')", "evidence.observed_value", "about 5" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_number_column_holding_something_else_is_refused_when_read(string damage, string column, string value)
    {
        using var t = new TempDatabase();
        t.Importer.Import(ImportSource.FromStreams("demo", DemoPortfolio.EmbeddedFiles()), new ImportOptions()).Ok.Should().BeTrue();
        using (var c = new SqliteConnection($"Data Source={t.Path}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA ignore_check_constraints = ON; " + damage;
            cmd.ExecuteNonQuery().Should().BePositive();
        }
        SqliteConnection.ClearAllPools();

        var detail = () => t.Reader.History("ACC-0001");
        detail.Should().Throw<StoreException>().WithMessage($"*{column}*not a number*{value}*");
        var stream = () => { using var s = t.Reader.Histories(TempDatabase.D("2099-12-31")); return s.Count(); };
        stream.Should().Throw<StoreException>().WithMessage($"*{column}*not a number*{value}*");
    }
}
