using Dapper;
using Microsoft.Data.Sqlite;

namespace ValueMcp.Store.Tests;

public sealed class MigrationTests
{
    private static string NewPath() => Path.Combine(Path.GetTempPath(), $"valuemcp-test-{Guid.NewGuid():N}.db");

    [Fact]
    public void Migrations_are_embedded_numbered_from_one_in_order()
    {
        Database.Migrations.Should().NotBeEmpty();
        Database.Migrations.Select(m => m.Version).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        Database.Migrations[0].Version.Should().Be(1);
        Database.LatestVersion.Should().Be(Database.Migrations[^1].Version);
    }

    [Fact]
    public void A_new_file_is_created_at_the_latest_version()
    {
        using var t = new TempDatabase();
        File.Exists(t.Path).Should().BeTrue();
        t.Db.Version().Should().Be(Database.LatestVersion);
        t.Reader.Counts().Values.Should().AllSatisfy(n => n.Should().Be(0));
    }

    [Fact]
    public void An_existing_empty_file_is_migrated_to_the_latest_version()
    {
        var path = NewPath();
        File.WriteAllBytes(path, []);
        try
        {
            var db = Database.Open(path);
            db.Version().Should().Be(Database.LatestVersion);
            TempDatabase.Close(db);
        }
        finally
        {
            TempDatabase.DeleteFiles(path);
        }
    }

    [Fact]
    public void Reopening_runs_no_migration_again_and_keeps_the_data()
    {
        using var t = new TempDatabase();
        t.ImportOk(Csv.Files(accounts: [Csv.Account("A1")], movements: ["A1,2025-01-01,new,1000,,"]));
        var before = t.Snapshot();
        var counts = t.Reader.Counts();

        t.Reopen();
        t.Reopen();

        t.Db.Version().Should().Be(Database.LatestVersion);
        t.Snapshot().Should().Equal(before);
        t.Reader.Counts().Should().BeEquivalentTo(counts);
        using var c = t.Db.OpenRead();
        c.ExecuteScalar<long>("SELECT count(*) FROM schema_migrations").Should().Be(Database.Migrations.Count);
    }

    [Fact]
    public void A_file_from_a_newer_version_is_refused()
    {
        var path = NewPath();
        try
        {
            var db = Database.Open(path);
            db.Write((c, tx) => c.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, 'future.sql', '2030-01-01')",
                new { v = Database.LatestVersion + 1 }, tx));
            TempDatabase.Close(db);

            var open = () => Database.Open(path);
            open.Should().Throw<StoreException>().Which.Message.Should().Contain("newer").And.Contain(path);

            var openReadOnly = () => Database.Open(path, readOnly: true);
            openReadOnly.Should().Throw<StoreException>().Which.Message.Should().Contain("newer");
        }
        finally
        {
            TempDatabase.DeleteFiles(path);
        }
    }

    [Fact]
    public void A_refused_open_releases_the_file()
    {
        var path = NewPath();
        try
        {
            var db = Database.Open(path);
            db.Write((c, tx) => c.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, 'future.sql', '2030-01-01')",
                new { v = Database.LatestVersion + 1 }, tx));
            TempDatabase.Close(db);

            var open = () => Database.Open(path);
            open.Should().Throw<StoreException>();

            // Leaving WAL mode needs the only connection to the file: it fails while a refused open still holds one.
            using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 2 }.ToString());
            c.Open();
            c.ExecuteScalar<string>("PRAGMA journal_mode=DELETE").Should().Be("delete");
        }
        finally
        {
            TempDatabase.DeleteFiles(path);
        }
    }

    [Fact]
    public void Read_only_open_of_a_missing_file_is_refused_and_creates_nothing()
    {
        var path = NewPath();
        var open = () => Database.Open(path, readOnly: true);
        open.Should().Throw<StoreException>().Which.Message.Should().Contain("not found").And.Contain(path);
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void Read_only_open_of_a_file_without_schema_is_refused()
    {
        var path = NewPath();
        File.WriteAllBytes(path, []);
        try
        {
            var open = () => Database.Open(path, readOnly: true);
            open.Should().Throw<StoreException>().Which.Message.Should().Contain("not a ValueMcp database");
        }
        finally
        {
            TempDatabase.DeleteFiles(path);
        }
    }

    [Fact]
    public void Read_only_open_reads_but_refuses_writes()
    {
        using var t = new TempDatabase();
        t.ImportOk(Csv.Files(accounts: [Csv.Account("A1")], movements: ["A1,2025-01-01,new,1000,,"]));

        t.Reopen(readOnly: true);

        t.Db.ReadOnly.Should().BeTrue();
        t.Db.Version().Should().Be(Database.LatestVersion);
        t.Facts("A1", "2025-06-30").Arr.Should().Be(1000m);
        var write = () => t.Db.Write((c, tx) => c.Execute("DELETE FROM accounts", transaction: tx));
        write.Should().Throw<StoreException>().Which.Message.Should().Contain("read-only");
    }
}
