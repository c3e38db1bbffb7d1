using System.CommandLine;
using ValueMcp.Store;
using ValueMcp.Store.Postgres;

namespace ValueMcp.Server.Cli;

/// <summary>valuemcp migrate (the schema of a SQLite file or a PostgreSQL database) and valuemcp copy (one store into another).</summary>
public static class StoreCommands
{
    public static Command Migrate()
    {
        var db = new Option<string?>("--db")
        {
            Description = $"SQLite database file, or a PostgreSQL database (postgres://USER:PASSWORD@HOST:PORT/DB, or Host=...;Database=...). Default: ${Paths.DbVariable}, else valuemcp.db in the user's data directory.",
            HelpName = "PATH|URL",
        };
        var cmd = new Command("migrate", "Create or upgrade the database's schema to this version of ValueMcp: idempotent, in one transaction; a database from a newer ValueMcp is refused. Exit 0 done, 2 refused.") { db };
        cmd.SetAction(parse =>
        {
            try
            {
                var target = Paths.Database(parse.GetValue(db));
                if (PgStore.IsTarget(target))
                {
                    var (from, to, where) = PgStore.MigrateTarget(target);
                    Console.Out.WriteLine(from == to ? $"{where}: schema already at version {to}" : $"{where}: schema migrated from version {from} to {to}");
                    return Commands.Ok;
                }
                var before = File.Exists(target) ? Database.SchemaVersionOf(target) : 0;
                using (var database = Database.Open(target)) // migrates
                {
                    var after = database.Version();
                    Console.Out.WriteLine(before == after ? $"{target}: schema already at version {after}" : $"{target}: schema migrated from version {before} to {after}");
                }
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                return Commands.Ok;
            }
            catch (Exception e) when (CliErrors.IsExpected(e))
            {
                return CliErrors.Report("valuemcp migrate", e);
            }
        });
        return cmd;
    }
}
