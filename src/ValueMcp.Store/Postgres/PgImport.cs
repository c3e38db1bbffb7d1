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
                // A table loaded straight into (CopySink: it was empty) is locked by this transaction until it ends, and
                // held nothing before it: the lookups know it is empty without asking (asking would wait on the lock).
                using var lookups = store.Connect();
                var emptyBefore = new HashSet<string>(StringComparer.Ordinal);
                using var stored = new StoredFacts(lookups, emptyBefore);
                var references = new FactImporter.References(stored, run);
                // The import's day and window, for the renewal_date_moves_on trigger (migration 0005): stated here, not read from a clock.
                if (!options.DryRun)
                {
                    using var context = new NpgsqlCommand("INSERT INTO import_context (id, day, renewal_window_days) VALUES (1, $1, $2)", c, tx);
                    context.Parameters.Add(new NpgsqlParameter { Value = FactReader.Iso(options.ImportDay) });
                    context.Parameters.Add(new NpgsqlParameter { Value = options.RenewalWindowDays });
                    context.ExecuteNonQuery();
                }
                using (var sink = new CopySink(c, tx, run, write: !options.DryRun, emptyBefore))
                    FactImporter.LoadFiles(source, run, references, sink, progress, ct);
                FactImporter.CheckContractions(stored, run);
                if (run.ErrorCount > 0 || options.DryRun)
                {
                    // A refused COPY leaves the transaction aborted: nothing more may run in it but the rollback (which
                    // takes the import's context row with it).
                    tx.Rollback();
                    return run.Report(source, committed: false);
                }
                PgStore.Execute(c, tx, "DELETE FROM import_context");
                PgStore.AppendAudit(c, tx, options.Clock.GetUtcNow(), "import", FactImporter.AuditArguments(source, run), options.Author);
                if (FactImporter.Changed(run)) PgStore.RaiseVersion(c, tx, accountId: null);
                tx.Commit();
                // A table copied straight into was empty when its statistics were last taken: until autovacuum comes round
                // (a minute or more) the planner would take it for empty and scan where it should search. Its statistics
                // are taken now, after the commit (ANALYZE samples a bounded number of rows, whatever the table's size).
                if (emptyBefore.Count > 0)
                    PgStore.Execute(c, null, "ANALYZE " + string.Join(", ", emptyBefore.Order(StringComparer.Ordinal).Select(t => "\"" + t + "\"")));
                return run.Report(source, committed: true);
            });
        }
        finally
        {
            store.WriteGate.Release();
        }
    }

    /// <summary>The store as the checks read it: ids, and the stored movements of the accounts the import touches.</summary>
    private sealed class StoredFacts(NpgsqlConnection c, IReadOnlySet<string> emptyBefore) : FactImporter.IStoredFacts
    {
        private NpgsqlCommand? _account, _outcome;

        public bool Exists(string table, string id)
        {
            if (emptyBefore.Contains(table)) return false;
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
            if (emptyBefore.Contains("arr_movements")) return [];
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
    /// Into a fact table that is empty when its file begins (a first import), the rows are copied straight into the
    /// table instead, with its plain indexes and its foreign keys set aside (dropped in the transaction, rebuilt and
    /// validated each by one statement when the file ends, as the SQLite import rebuilds its indexes): every row is
    /// new, and the import's own checks have already refused duplicate keys and unknown references. The table stays
    /// locked to other sessions until the import commits (it held nothing to read before).
    /// </summary>
    private sealed class CopySink(NpgsqlConnection c, NpgsqlTransaction tx, FactImporter.Run run, bool write, HashSet<string> emptyBefore) : RowSink
    {
        private NpgsqlBinaryImporter? _copy;
        private FactEntry? _spec;
        private FactImporter.MutableCounts? _counts;
        private SetAside? _direct;
        private bool _failed;

        private static string Stage(FactEntry spec) => "stage_" + spec.Table;

        public override void BeginFile(FactEntry spec, FactImporter.MutableCounts counts)
        {
            _spec = spec;
            _counts = counts;
            if (_failed || run.ErrorCount > 0) return;
            var cols = string.Join(", ", spec.DbColumns);
            if (write && IsEmpty(spec.Table))
            {
                emptyBefore.Add(spec.Table);
                _direct = SetAside.Drop(c, tx, spec.Table);
                _copy = c.BeginBinaryImport($"COPY {spec.Table} ({cols}) FROM STDIN (FORMAT BINARY)");
                return;
            }
            PgStore.Execute(c, tx, $"CREATE TEMP TABLE {Stage(spec)} ON COMMIT DROP AS SELECT {cols} FROM {spec.Table} WITH NO DATA");
            _copy = c.BeginBinaryImport($"COPY {Stage(spec)} ({cols}) FROM STDIN (FORMAT BINARY)");
        }

        private bool IsEmpty(string table)
        {
            using var cmd = new NpgsqlCommand($"SELECT NOT EXISTS (SELECT 1 FROM {table})", c, tx);
            return (bool)cmd.ExecuteScalar()!;
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
            var copied = _copy.Complete();
            _copy.Dispose();
            _copy = null;
            if (_direct is not null)
            {
                // Every row was new: rebuild what was set aside (the foreign keys validated in one pass each). No ANALYZE
                // here: the rebuilt indexes give the planner the table's size, the checks of the next files read this
                // import's keys, not the table, and autovacuum analyzes a table filled from empty soon after the commit
                // (far past its threshold of 50 rows + 10%); analyzing every table in the transaction cost a tenth of it.
                _counts!.Inserted += (long)copied;
                _direct.Restore(c, tx);
                _direct = null;
                return;
            }
            // Statistics first: the planner must know the staging table's size (temporary tables are never analyzed
            // by autovacuum), and, after the merge, the fact table's (the next file's references and the readers).
            PgStore.Execute(c, tx, $"ANALYZE {Stage(_spec!)}");
            Merge(_spec!, _counts!);
            PgStore.Execute(c, tx, $"DROP TABLE {Stage(_spec!)}");
            if (write) PgStore.Execute(c, tx, $"ANALYZE {_spec!.Table}");
        }

        private void Merge(FactEntry spec, FactImporter.MutableCounts counts)
        {
            var cols = spec.DbColumns;
            var keys = spec.KeyIndexes.Select(i => cols[i]).ToList();
            var others = cols.Where((_, i) => !spec.KeyIndexes.Contains(i)).ToList();
            var stage = Stage(spec);
            var match = string.Join(" AND ", keys.Select(k => $"t.{k} = s.{k}"));
            var differs = others.Count == 0 ? "false" : $"ROW({string.Join(", ", others.Select(o => "t." + o))}) IS DISTINCT FROM ROW({string.Join(", ", others.Select(o => "s." + o))})";
            long inserted, updated, staged;
            if (write)
            {
                // Rows whose key is stored with other values update it; then every row whose key is not stored is
                // inserted (the key's unique index refuses the others, one probe each: no plan depends on statistics).
                updated = others.Count == 0 ? 0 : Count($"UPDATE {spec.Table} AS t SET {string.Join(", ", others.Select(o => $"{o} = s.{o}"))} FROM {stage} AS s WHERE {match} AND {differs}");
                inserted = Count($"INSERT INTO {spec.Table} ({string.Join(", ", cols)}) SELECT {string.Join(", ", cols.Select(x => "s." + x))} FROM {stage} AS s ON CONFLICT DO NOTHING");
                staged = Scalar($"SELECT count(*) FROM {stage}");
            }
            else
            {
                using var cmd = new NpgsqlCommand($"""
                    SELECT count(*) FILTER (WHERE t.{keys[0]} IS NULL), count(*) FILTER (WHERE t.{keys[0]} IS NOT NULL AND {differs}), count(*)
                    FROM {stage} AS s LEFT JOIN {spec.Table} AS t ON {match}
                    """, c, tx);
                using var r = cmd.ExecuteReader();
                r.Read();
                (inserted, updated, staged) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
            }
            counts.Inserted += inserted;
            counts.Updated += updated;
            counts.Unchanged += staged - inserted - updated;
        }

        private long Count(string sql)
        {
            using var cmd = new NpgsqlCommand(sql, c, tx);
            return cmd.ExecuteNonQuery();
        }

        private long Scalar(string sql)
        {
            using var cmd = new NpgsqlCommand(sql, c, tx);
            return (long)cmd.ExecuteScalar()!;
        }

        public override void Abandon()
        {
            _failed = true;
            _direct = null; // the rollback restores what was set aside
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

    /// <summary>
    /// A fact table's plain (non-unique) indexes and its foreign keys, dropped for a bulk load into it and rebuilt
    /// afterwards from their own definitions (pg_get_indexdef, pg_get_constraintdef), so that they are exactly as the
    /// migrations made them. Its primary key and unique keys stay: they are what the rows are checked against.
    /// </summary>
    private sealed class SetAside(List<string> rebuild)
    {
        public static SetAside Drop(NpgsqlConnection c, NpgsqlTransaction tx, string table)
        {
            var drops = new List<string>();
            var rebuild = new List<string>();
            using (var cmd = new NpgsqlCommand("""
                SELECT 'DROP INDEX ' || x.indexrelid::regclass::text, pg_get_indexdef(x.indexrelid), 0 AS step
                FROM pg_index x
                WHERE x.indrelid = @table::regclass AND NOT x.indisunique AND NOT x.indisprimary
                UNION ALL
                SELECT 'ALTER TABLE ' || k.conrelid::regclass::text || ' DROP CONSTRAINT ' || quote_ident(k.conname),
                       'ALTER TABLE ' || k.conrelid::regclass::text || ' ADD CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), 1
                FROM pg_constraint k
                WHERE k.conrelid = @table::regclass AND k.contype = 'f'
                ORDER BY 3, 1
                """, c, tx))
            {
                cmd.Parameters.AddWithValue("table", table);
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    drops.Add(r.GetString(0));
                    rebuild.Add(r.GetString(1));
                }
            }
            foreach (var sql in drops) PgStore.Execute(c, tx, sql);
            return new SetAside(rebuild);
        }

        public void Restore(NpgsqlConnection c, NpgsqlTransaction tx)
        {
            // Indexes first (the constraint checks may use them), then the foreign keys: one validating scan each.
            foreach (var sql in rebuild) PgStore.Execute(c, tx, sql);
        }
    }
}
