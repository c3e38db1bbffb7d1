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

    /// <summary>Opens a store named by --from or --to: a SQLite file (which must exist for --from) or a PostgreSQL database.</summary>
    private static IFactStore OpenStore(string target, bool source)
    {
        if (PgStore.IsTarget(target)) return PgStore.Open(target, readOnly: source, create: !source);
        if (source && !File.Exists(target)) throw new StoreException($"--from {target}: database not found");
        return Database.Open(target, readOnly: source);
    }

    public static Command Copy()
    {
        var from = new Option<string>("--from") { Description = "The store to copy: a SQLite file or a PostgreSQL URL.", HelpName = "PATH|URL", Required = true };
        var to = new Option<string>("--to") { Description = "The empty store to copy into: a SQLite file (created) or a PostgreSQL URL (its schema created).", HelpName = "PATH|URL", Required = true };
        var cmd = new Command("copy", "Copy every table (facts, overrides, audit log) of one store into an empty one, in one transaction, then compare every table of both row by row. Exit 0 copied and equal, 1 a difference, 2 refused.") { from, to };
        cmd.SetAction(parse =>
        {
            try
            {
                using var source = OpenStore(parse.GetValue(from)!, source: true);
                using var destination = OpenStore(parse.GetValue(to)!, source: false);
                IReadOnlyList<TableCopy> copied;
                try
                {
                    copied = StoreCopy.Copy(source, destination);
                }
                catch (StoreException e) when (e.Message.StartsWith("copy check failed", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine($"valuemcp copy: {e.Message}");
                    return Commands.Refused;
                }
                foreach (var t in copied) Console.Out.WriteLine($"{t.Table}: {t.Rows:N0} rows copied, equal in both");
                Console.Out.WriteLine($"copied {source.Display} into {destination.Display}");
                return Commands.Ok;
            }
            catch (Exception e) when (CliErrors.IsExpected(e))
            {
                return CliErrors.Report("valuemcp copy", e);
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }
        });
        return cmd;
    }
}
