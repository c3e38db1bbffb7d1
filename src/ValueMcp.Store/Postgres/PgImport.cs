using Npgsql;
using NpgsqlTypes;

namespace ValueMcp.Store.Postgres;

/// <summary>
/// The CSV import into PostgreSQL: the same reading, parsing and checks as the SQLite import (FactImporter: the same
/// error lines, the same references and ledger checks), with the checked rows of each file sent by binary COPY into a
/// temporary staging table (no index, no constraint, never logged), then merged into the fact table by one set-based
/// statement that counts what it inserted and updated. All in one transaction, which first locks the data version's
/// row (no other writer of any instance commits meanwhile); a dry run rolls it back.
/// </summary>
internal static class PgImport
{
    public static ImportReport Import(PgStore store, ImportSource source, ImportOptions options, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var run = FactImporter.Precheck(source, options);
        if (run.ErrorCount > 0) return run.Report(source, committed: false);
        if (!options.DryRun && store.ReadOnly) throw new StoreException("the database is open read-only");

        store.WriteGate.Wait(ct);
        try
        {
            return store.Run(c =>
            {
                using var tx = c.BeginTransaction();
                if (!options.DryRun) PgStore.LockVersion(c, tx);
                // What is stored is read on a second connection: it sees the store as committed before this import (the
                // lock above keeps other writers from committing until this import ends).
                using var lookups = store.Connect();
                using var stored = new StoredFacts(lookups);
                var references = new FactImporter.References(stored, run);
                using (var sink = new CopySink(c, tx, run, write: !options.DryRun))
                    FactImporter.LoadFiles(source, run, references, sink, progress, ct);
                FactImporter.CheckContractions(stored, run);
                if (run.ErrorCount > 0 || options.DryRun)
                {
                    tx.Rollback();
                    return run.Report(source, committed: false);
                }
                PgStore.AppendAudit(c, tx, options.Clock.GetUtcNow(), "import", FactImporter.AuditArguments(source, run), options.Author);
                if (FactImporter.Changed(run)) PgStore.RaiseVersion(c, tx, accountId: null);
                tx.Commit();
                return run.Report(source, committed: true);
            });
        }
        finally
        {
            store.WriteGate.Release();
        }
    }

    /// <summary>The store as the checks read it: ids, and the stored movements of the accounts the import touches.</summary>
    private sealed class StoredFacts(NpgsqlConnection c) : FactImporter.IStoredFacts
    {
        private NpgsqlCommand? _account, _outcome;

        public bool Exists(string table, string id)
        {
            ref var cmd = ref table == "accounts" ? ref _account : ref _outcome;
            if (cmd is null)
            {
                cmd = new NpgsqlCommand($"SELECT 1 FROM {(table == "accounts" ? "accounts" : "outcomes")} WHERE id = @id", c);
                cmd.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Text));
                cmd.Prepare();
            }
            cmd.Parameters[0].Value = id;
            return cmd.ExecuteScalar() is not null;
        }

        public IEnumerable<FactImporter.ImportedMovement> Movements(IReadOnlyCollection<string> accounts)
        {
            using var cmd = new NpgsqlCommand(
                "SELECT account_id, effective_date, kind, amount_cents FROM arr_movements WHERE account_id = ANY(@ids)", c);
            cmd.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, accounts.ToArray());
            using var r = cmd.ExecuteReader();
            var list = new List<FactImporter.ImportedMovement>();
            while (r.Read()) list.Add(new FactImporter.ImportedMovement(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), 0));
            return list;
        }

        public void Dispose()
        {
            _account?.Dispose();
            _outcome?.Dispose();
        }
    }

    /// <summary>
    /// Each file's good rows by binary COPY into a temporary table shaped as the fact table's columns (the registry's
    /// DbColumns), then one merge: rows whose key is new are inserted, rows whose key is stored with other values
    /// update it, the rest are unchanged. A dry run only counts. Once the import has an error, nothing more is sent.
    /// </summary>
    private sealed class CopySink(NpgsqlConnection c, NpgsqlTransaction tx, FactImporter.Run run, bool write) : RowSink
    {
        private NpgsqlBinaryImporter? _copy;
        private FactEntry? _spec;
        private FactImporter.MutableCounts? _counts;
        private bool _failed;

        private static string Stage(FactEntry spec) => "stage_" + spec.Table;

        public override void BeginFile(FactEntry spec, FactImporter.MutableCounts counts)
        {
            _spec = spec;
            _counts = counts;
            if (_failed || run.ErrorCount > 0) return;
            var cols = string.Join(", ", spec.DbColumns);
            PgStore.Execute(c, tx, $"CREATE TEMP TABLE {Stage(spec)} ON COMMIT DROP AS SELECT {cols} FROM {spec.Table} WITH NO DATA");
            _copy = c.BeginBinaryImport($"COPY {Stage(spec)} ({cols}) FROM STDIN (FORMAT BINARY)");
        }

        public override void Add(object?[] values)
        {
            if (_copy is null) return;
            _copy.StartRow();
            foreach (var v in values)
            {
                switch (v)
                {
                    case null: _copy.WriteNull(); break;
                    case string s: _copy.Write(s, NpgsqlDbType.Text); break;
                    case long l: _copy.Write(l, NpgsqlDbType.Bigint); break;
                    case int i: _copy.Write((long)i, NpgsqlDbType.Bigint); break;
                    case double d: _copy.Write(d, NpgsqlDbType.Double); break;
                    default: throw new InvalidOperationException($"{_spec!.Table}: cannot stage a {v.GetType().Name}");
                }
            }
        }

        public override void EndFile()
        {
            if (_copy is null) return;
            if (run.ErrorCount > 0)
            {
                Abandon();
                return;
            }
            _copy.Complete();
            _copy.Dispose();
            _copy = null;
            Merge(_spec!, _counts!);
            PgStore.Execute(c, tx, $"DROP TABLE {Stage(_spec!)}");
        }

        private void Merge(FactEntry spec, FactImporter.MutableCounts counts)
        {
            var cols = spec.DbColumns;
            var keys = spec.KeyIndexes.Select(i => cols[i]).ToList();
            var others = cols.Where((_, i) => !spec.KeyIndexes.Contains(i)).ToList();
            var stage = Stage(spec);
            var match = string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"));
            var differs = others.Count == 0 ? "false" : $"ROW({string.Join(", ", others.Select(o => "t." + o))}) IS DISTINCT FROM ROW({string.Join(", ", others.Select(o => "s." + o))})";
            string sql;
            if (write)
            {
                var set = others.Count == 0 ? null : string.Join(", ", others.Select(o => $"{o} = s.{o}"));
                sql = $"""
                    WITH upd AS ({(set is null ? "SELECT 1 WHERE false" : $"UPDATE {spec.Table} AS t SET {set} FROM {stage} AS s WHERE {match} AND {differs} RETURNING 1")}),
                    ins AS (INSERT INTO {spec.Table} ({string.Join(", ", cols)})
                            SELECT {string.Join(", ", cols.Select(x => "s." + x))} FROM {stage} AS s
                            WHERE NOT EXISTS (SELECT 1 FROM {spec.Table} AS t WHERE {match}) RETURNING 1)
                    SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM upd), (SELECT count(*) FROM {stage})
                    """;
            }
            else
            {
                sql = $"""
                    SELECT count(*) FILTER (WHERE t.{keys[0]} IS NULL), count(*) FILTER (WHERE t.{keys[0]} IS NOT NULL AND {differs}), count(*)
                    FROM {stage} AS s LEFT JOIN {spec.Table} AS t ON {match}
                    """;
            }
            using var cmd = new NpgsqlCommand(sql, c, tx);
            using var r = cmd.ExecuteReader();
            r.Read();
            var inserted = r.GetInt64(0);
            var updated = r.GetInt64(1);
            var staged = r.GetInt64(2);
            counts.Inserted += inserted;
            counts.Updated += updated;
            counts.Unchanged += staged - inserted - updated;
        }

        public override void Abandon()
        {
            _failed = true;
            if (_copy is null) return;
            try
            {
                _copy.Dispose(); // cancels the COPY: the transaction is rolled back
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // the import is refused and rolled back anyway
            }
            _copy = null;
        }

        public override void Dispose() => Abandon();
    }
}
