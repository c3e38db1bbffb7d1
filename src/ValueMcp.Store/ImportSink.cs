using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ValueMcp.Store;

/// <summary>Where the checked rows of an import go: the table writer of the file being read.</summary>
internal abstract class RowSink : IDisposable
{
    public abstract void BeginFile(FactEntry spec, FactImporter.MutableCounts counts);

    public abstract void Add(object?[] values);

    /// <summary>The file was read to its end: finish its table (rebuild what was set aside). Complete waits for it.</summary>
    public abstract void EndFile();

    /// <summary>The file ended early (the import is refused and will be rolled back): drop its table writer.</summary>
    public abstract void Abandon();

    public abstract void Dispose();

    protected static void Count(FactImporter.MutableCounts counts, UpsertResult result)
    {
        switch (result)
        {
            case UpsertResult.Inserted: counts.Inserted++; break;
            case UpsertResult.Updated: counts.Updated++; break;
            default: counts.Unchanged++; break;
        }
    }
}

/// <summary>Applies each row as it comes, on the reading thread (a dry run: it only reads).</summary>
internal sealed class InlineSink(SqliteConnection c, SqliteTransaction tx, bool write) : RowSink
{
    private TableWriter? _writer;
    private FactImporter.MutableCounts? _counts;

    public override void BeginFile(FactEntry spec, FactImporter.MutableCounts counts)
    {
        _writer = new TableWriter(c, tx, spec, write);
        _counts = counts;
    }

    public override void Add(object?[] values) => Count(_counts!, _writer!.Apply(values));

    public override void EndFile()
    {
        _writer!.Finish();
        Abandon();
    }

    public override void Abandon()
    {
        _writer?.Dispose();
        _writer = null;
    }

    public override void Dispose() => Abandon();
}

/// <summary>
/// Writes the rows on a thread of its own, in batches, while the reading thread parses and checks the next ones:
/// SQLite's work and the CSV checks overlap. The writer connection is used by that thread alone until Complete.
/// </summary>
internal sealed class PipelinedSink : RowSink
{
    private const int BatchSize = 512;

    private readonly SqliteConnection _c;
    private readonly SqliteTransaction _tx;
    private readonly BlockingCollection<object> _queue = new(boundedCapacity: 16);
    private readonly Thread _thread;
    private List<object?[]> _batch = new(BatchSize);
    private volatile Exception? _failure;
    private bool _completed;

    private sealed record Begin(FactEntry Spec, FactImporter.MutableCounts Counts);
    private sealed record End(bool Finish);

    public PipelinedSink(SqliteConnection c, SqliteTransaction tx)
    {
        _c = c;
        _tx = tx;
        _thread = new Thread(Consume) { IsBackground = true, Name = "valuemcp import writer" };
        _thread.Start();
    }

    public override void BeginFile(FactEntry spec, FactImporter.MutableCounts counts) => Post(new Begin(spec, counts));

    public override void Add(object?[] values)
    {
        _batch.Add(values);
        if (_batch.Count == BatchSize) Flush();
    }

    /// <summary>Does not wait: the reading thread goes on with the next file while this one's indexes are rebuilt.</summary>
    public override void EndFile()
    {
        Flush();
        Post(new End(true));
    }

    public override void Abandon()
    {
        _batch = new List<object?[]>(BatchSize);
        try { Post(new End(false)); }
        catch (Exception) { /* the writer thread failed: its failure is reported by Complete or Dispose */ }
    }

    /// <summary>Waits until every row is written; rethrows a failure of the writing thread.</summary>
    public void Complete()
    {
        if (!_completed)
        {
            _completed = true;
            _queue.CompleteAdding();
            _thread.Join();
        }
        ThrowIfFailed();
    }

    private void Flush()
    {
        if (_batch.Count == 0) return;
        Post(_batch);
        _batch = new List<object?[]>(BatchSize);
    }

    private void Post(object item)
    {
        ThrowIfFailed();
        try
        {
            _queue.Add(item);
        }
        catch (InvalidOperationException) when (_failure is not null)
        {
            ThrowIfFailed();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
    }

    private void Consume()
    {
        TableWriter? writer = null;
        FactImporter.MutableCounts? counts = null;
        try
        {
            foreach (var item in _queue.GetConsumingEnumerable())
            {
                switch (item)
                {
                    case Begin b:
                        writer = new TableWriter(_c, _tx, b.Spec, write: true);
                        counts = b.Counts;
                        break;
                    case List<object?[]> rows:
                        foreach (var values in rows) Count(counts!, writer!.Apply(values));
                        break;
                    case End e:
                        if (e.Finish) writer?.Finish();
                        writer?.Dispose();
                        writer = null;
                        break;
                }
            }
        }
        catch (Exception e)
        {
            _failure = e;
            _queue.CompleteAdding();
        }
        finally
        {
            writer?.Dispose();
        }
    }

    public override void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _queue.CompleteAdding();
            _thread.Join();
        }
        _queue.Dispose();
    }
}
