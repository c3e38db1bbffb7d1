using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>
/// The application's write side: check the arguments (what is accepted is said in each error), append the fact
/// and its audit entry in one transaction, then answer with the fact and the account card read back after the write.
/// </summary>
public sealed class WriteService(ValueService values, IAuthorProvider authors, TimeProvider clock)
{
    private readonly FactWriter _writer = new(values.Database);

    public const int DefaultAuditLimit = 50;

    public async Task<EvidenceWritten> RecordEvidence(ClaimsPrincipal? user, string? outcomeId, decimal? observedValue, bool? achieved,
        string? source, string? note, string? capturedAt, CancellationToken ct)
    {
        var today = values.Today;
        var outcome = WriteInputs.Id(outcomeId, "outcome_id");
        var account = _writer.AccountOfOutcome(outcome)
            ?? throw new InputException($"outcome_id: unknown outcome \"{Inputs.Show(outcome)}\"; get_account_scorecard lists an account's outcomes with their ids");
        if (observedValue is null && achieved is null)
            throw new InputException("record_evidence needs observed_value (the measured value of the outcome's metric) or achieved (true or false), or both");
        var evidence = WriteInputs.Valid(FactRules.Evidence, new EvidenceFact(
            FactWriter.NewId("EV-", clock.GetUtcNow()), outcome,
            WriteInputs.PastDate(capturedAt, "captured_at", today),
            Inputs.Enum<EvidenceSource>(source, "source") ?? EvidenceSource.Manual,
            observedValue, achieved,
            WriteInputs.Note(note, "note"),
            authors.Author(user)));
        await _writer.RecordEvidence(evidence, Audit("record_evidence", evidence.CapturedBy, new EvidenceAudit(
            evidence.Id, outcome, account, evidence.CapturedAt, evidence.Source, evidence.ObservedValue, evidence.Achieved, evidence.Note)), ct);

        var card = values.Scorecard(account, today);
        var written = card.Outcomes.FirstOrDefault(o => o.Id == outcome);
        var dto = written?.Evidence.First(e => e.Id == evidence.Id)
            ?? new EvidenceDto(evidence.Id, evidence.CapturedAt, evidence.Source, OutcomeScoring.ConfidenceOf(evidence.Source),
                evidence.ObservedValue, evidence.Achieved, false, evidence.Note, evidence.CapturedBy);
        return new EvidenceWritten(dto, written, card, today);
    }

    public async Task<OutcomeWritten> AddPromisedOutcome(ClaimsPrincipal? user, string? accountId, string? title, string? metric, string? unit,
        decimal? baseline, decimal? target, string? direction, string? dueDate, string? promisedAt, string? source, CancellationToken ct)
    {
        var today = values.Today;
        var account = KnownAccount(accountId);
        var promised = WriteInputs.PastDate(promisedAt, "promised_at", today);
        var due = WriteInputs.OptionalDate(dueDate, "due_date");
        var dir = Inputs.Enum<Direction>(direction, "direction");
        var author = authors.Author(user);
        var outcome = WriteInputs.Valid(FactRules.Outcome, new OutcomeFact(
            FactWriter.NewId("OUT-", clock.GetUtcNow()), account,
            WriteInputs.RequiredLine(title, "title"),
            WriteInputs.Line(metric, "metric"), WriteInputs.Line(unit, "unit"),
            baseline, target, dir,
            promised, due, WriteInputs.Line(source, "source", WriteInputs.MaxId)));
        await _writer.AddOutcome(outcome, Audit("add_promised_outcome", author, new OutcomeAudit(
            outcome.Id, account, outcome.Title, outcome.Metric, outcome.Unit, outcome.Baseline, outcome.Target,
            outcome.Direction, outcome.PromisedAt, outcome.DueDate, outcome.Source)), ct);

        var card = values.Scorecard(account, today);
        return new OutcomeWritten(card.Outcomes.First(o => o.Id == outcome.Id), card, today);
    }

    public async Task<SignalWritten> LogSignal(ClaimsPrincipal? user, string? accountId, string? category, string? kind, int? polarity,
        string? note, string? observedAt, CancellationToken ct)
    {
        var today = values.Today;
        var account = KnownAccount(accountId);
        var cat = Inputs.Enum<SignalCategory>(category, "category")
            ?? throw new InputException($"category is required; accepted: {string.Join(", ", Wire.Names<SignalCategory>())}");
        if (polarity is null) throw new InputException("polarity is required; accepted: 1 (a positive signal) or -1 (a negative one)");
        var author = authors.Author(user);
        var signal = WriteInputs.Valid(FactRules.Signal, new SignalFact(
            FactWriter.NewId("SIG-", clock.GetUtcNow()), account,
            WriteInputs.PastDate(observedAt, "observed_at", today), cat,
            WriteInputs.Line(kind, "kind"), polarity.Value, WriteInputs.Note(note, "note")));
        await _writer.LogSignal(signal, Audit("log_signal", author, new SignalAudit(
            signal.Id, signal.AccountId, signal.ObservedAt, Wire.Name(signal.Category), signal.Kind, signal.Polarity, signal.Note)), ct);

        var card = values.Scorecard(account, today);
        return new SignalWritten(Shape.Signal(signal), card, today);
    }

    public async Task<OverrideWritten> SetOverride(ClaimsPrincipal? user, string? accountId, string? field, string? value, string? reason,
        string? expiresAt, string? createdAt, CancellationToken ct)
    {
        var today = values.Today;
        var account = KnownAccount(accountId);
        var f = Inputs.Enum<OverrideField>(field, "field")
            ?? throw new InputException($"field is required; accepted: {string.Join(", ", Wire.Names<OverrideField>())}");
        var v = f switch
        {
            OverrideField.Band => ValueOf<Band>(value, f),
            OverrideField.Readiness => ValueOf<Readiness>(value, f),
            _ => ValueOf<RenewalRisk>(value, f),
        };
        var why = WriteInputs.RequiredNote(reason, "reason");
        var created = WriteInputs.PastDate(createdAt, "created_at", today);
        var expires = WriteInputs.OptionalDate(expiresAt, "expires_at");
        var author = authors.Author(user);
        var fact = WriteInputs.Valid(FactRules.Override, new OverrideFact(f, v, why, author, created, expires));
        // The id is the store's: the audit entry, written in the same transaction, records it.
        var id = await _writer.SetOverride(account, fact,
            assigned => Audit("set_override", author, new OverrideAudit(assigned, account, f, v, why, created, expires)), ct);

        var card = values.Scorecard(account, today);
        return new OverrideWritten(id, new OverrideHistoryDto(f, v, why, author, created, expires, AccountScoring.OverrideInForce(fact, today)), card, today);
    }

    public AuditLogResult AuditLog(string? since, int? limit)
    {
        var n = Inputs.Limit(limit, DefaultAuditLimit);
        var from = Since(since);
        var entries = new Store.AuditLog(values.Database).Entries(from, n)
            .Select(e => new AuditEntryDto(e.At, e.Operation, Arguments(e.Arguments), e.Author))
            .ToList();
        return new AuditLogResult(from is { } s ? Store.AuditLog.Format(s) : null, n, entries);
    }

    private static JsonElement Arguments(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Json.ToElement(new TextAudit(json));
        }
    }

    /// <summary>since: an ISO date (from the start of that UTC day) or an ISO date and time.</summary>
    private static DateTimeOffset? Since(string? since)
    {
        if (string.IsNullOrWhiteSpace(since)) return null;
        var t = since.Trim();
        if (DateOnly.TryParseExact(t, FactReader.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (t.Length >= 16 && t[4] == '-' && t[10] == 'T' &&
            DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            return at;
        throw new InputException($"since: \"{Inputs.Show(t)}\" is not a date or a time; accepted: ISO yyyy-MM-dd (from the start of that UTC day) or yyyy-MM-ddTHH:mm:ssZ");
    }

    private string KnownAccount(string? accountId)
    {
        var id = WriteInputs.Id(accountId, "account_id");
        if (!values.Reader.AccountExists(id))
            throw new InputException($"account_id: unknown account \"{Inputs.Show(id)}\"; use list_accounts to find account ids");
        return id;
    }

    private static string ValueOf<T>(string? value, OverrideField field) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value) || !Wire.TryParse<T>(value, out var v))
            throw new InputException($"value: {(string.IsNullOrWhiteSpace(value) ? "missing" : $"\"{Inputs.Show(value)}\" is not a {Wire.Name(field)}")}; accepted for {Wire.Name(field)}: {string.Join(", ", Wire.Names<T>())}");
        return Wire.Name(v);
    }

    private WriteAudit Audit<T>(string operation, string author, T arguments) where T : notnull =>
        new(operation, Json.Serialize(arguments), author, clock.GetUtcNow());
}
