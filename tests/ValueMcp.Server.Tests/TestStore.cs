using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using ValueMcp.Store;
using ValueMcp.Store.Postgres;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The store the tests run against: SQLite files (the default), or, with VALUEMCP_TEST_STORE=postgres and
/// VALUEMCP_TEST_PG=postgres://USER:PASSWORD@HOST:PORT/postgres (scripts/pg-test.sh sets both on a throwaway cluster),
/// PostgreSQL: each SQLite path a test names becomes a database of its own on that server, named after the path.
/// </summary>
public static class TestStore
{
    public const string StoreVariable = "VALUEMCP_TEST_STORE", PgVariable = "VALUEMCP_TEST_PG";

    public static bool Postgres { get; } = Environment.GetEnvironmentVariable(StoreVariable) == "postgres";

    /// <summary>Why a test that reads or writes the SQLite file itself does not run on PostgreSQL.</summary>
    public const string SqliteOnly = "reads the SQLite file itself (bytes, WAL, pragmas, file permissions): not a property of PostgreSQL";

    private static string Admin => Environment.GetEnvironmentVariable(PgVariable) is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException($"{StoreVariable}=postgres needs {PgVariable} (a URL of the cluster's postgres database)");

    /// <summary>The --db value of the store a test keeps at sqlitePath: the path, or its own PostgreSQL database.</summary>
    public static string Target(string sqlitePath)
    {
        if (!Postgres) return sqlitePath;
        var name = "vm_" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(sqlitePath))))[..20].ToLowerInvariant();
        if (!Admin.Contains("://", StringComparison.Ordinal)) throw new InvalidOperationException($"{PgVariable} must be a postgres:// URL");
        return Admin[..Admin.LastIndexOf('/')] + "/" + name;
    }

    private static string DatabaseName(string target) => PgStore.Settings(target).Database!;

    private static NpgsqlConnection AdminConnection()
    {
        var b = PgStore.Settings(Admin);
        b.Pooling = false;
        var c = new NpgsqlConnection(b.ConnectionString);
        c.Open();
        return c;
    }

    /// <summary>Whether the store at target exists (the file, or the database).</summary>
    public static bool Exists(string target)
    {
        if (!PgStore.IsTarget(target)) return File.Exists(target);
        using var c = AdminConnection();
        using var cmd = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", c);
        cmd.Parameters.AddWithValue("n", DatabaseName(target));
        return cmd.ExecuteScalar() is not null;
    }

    /// <summary>Opens the store at target, creating it (an empty file, or a new database with the schema) when it does not exist.</summary>
    public static IFactStore Open(string target, bool readOnly = false)
    {
        if (!PgStore.IsTarget(target)) return Database.Open(target, readOnly);
        if (!Exists(target))
        {
            using var c = AdminConnection();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName(target)}\" TEMPLATE template0 ENCODING 'UTF8'", c);
            cmd.ExecuteNonQuery();
        }
        return PgStore.Open(target, readOnly, create: !readOnly);
    }

    /// <summary>
    /// A store at target (created) with the demo portfolio: the committed demo CSVs imported, then the demo's
    /// probability overrides set (Demo.SetOverrides), as the demo database `serve --demo` builds.
    /// </summary>
    public static string Demo(string target, string folder)
    {
        Imported(target, folder);
        using (var db = Open(target)) Server.Demo.SetOverrides(db);
        Release();
        return target;
    }

    /// <summary>A store at target (created) with the CSVs of folder imported.</summary>
    public static string Imported(string target, string folder)
    {
        using (var db = Open(target))
        {
            var report = db.Import(ImportSource.FromFolder(folder), new ImportOptions());
            report.Ok.Should().BeTrue("the portfolio must import cleanly: " + string.Join("; ", report.Errors.Take(10).Select(e => e.ToString())));
        }
        Release();
        return target;
    }

    /// <summary>Closes pooled connections of this process (SQLite: so that the file can be replaced or deleted).</summary>
    public static void Release()
    {
        SqliteConnection.ClearAllPools();
        if (Postgres) NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A new, unpooled ADO.NET connection to the store at target (SQLite or PostgreSQL), open.</summary>
    public static System.Data.Common.DbConnection Connection(string target)
    {
        System.Data.Common.DbConnection c;
        if (PgStore.IsTarget(target))
        {
            var b = PgStore.Settings(target);
            b.Pooling = false;
            c = new NpgsqlConnection(b.ConnectionString);
        }
        else
        {
            c = new SqliteConnection($"Data Source={target};Pooling=False");
        }
        c.Open();
        return c;
    }

    /// <summary>Deletes a PostgreSQL database a test made (a SQLite file goes with the test's folder).</summary>
    public static void Drop(string target)
    {
        if (!PgStore.IsTarget(target)) return;
        Release();
        using var c = AdminConnection();
        using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName(target)}\" WITH (FORCE)", c);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Rows per table, read on a new connection (what another process sees).</summary>
    public static Dictionary<string, long> Counts(string target)
    {
        if (!PgStore.IsTarget(target)) return OwnServer.SqliteCounts(target);
        using var store = PgStore.Open(target, readOnly: true);
        return new Dictionary<string, long>(store.Counts(), StringComparer.Ordinal);
    }

    /// <summary>
    /// A fingerprint of everything stored: the SQLite file and its WAL byte for byte, or every row of every table of the
    /// PostgreSQL database and its data version. Unchanged: nothing was written.
    /// </summary>
    public static string Fingerprint(string target)
    {
        if (!PgStore.IsTarget(target)) return OwnServer.FileFingerprint(target);
        var b = PgStore.Settings(target);
        b.Pooling = false;
        using var c = new NpgsqlConnection(b.ConnectionString);
        c.Open();
        var parts = new StringBuilder();
        foreach (var t in PgStore.Tables.Append("data_version").Append("account_changes"))
        {
            using var cmd = new NpgsqlCommand($"SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM {t} x", c);
            using var r = cmd.ExecuteReader();
            r.Read();
            parts.Append(t).Append(':').Append(r.GetInt64(0)).Append(':').Append(r.GetString(1)).Append(';');
        }
        return parts.ToString();
    }
}

/// <summary>A fact about the SQLite file itself: skipped when the tests run on PostgreSQL (TestStore.SqliteOnly says why).</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute()
    {
        if (TestStore.Postgres) Skip = TestStore.SqliteOnly;
    }
}

/// <summary>A theory about the SQLite file itself: skipped when the tests run on PostgreSQL.</summary>
public sealed class SqliteTheoryAttribute : TheoryAttribute
{
    public SqliteTheoryAttribute()
    {
        if (TestStore.Postgres) Skip = TestStore.SqliteOnly;
    }
}
