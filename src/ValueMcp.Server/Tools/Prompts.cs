using System.ComponentModel;
using System.Globalization;
using System.Text;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Server.Report;
using ValueMcp.Store;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>
/// The workflows as prompts: board prep, CSM coaching, the weekly at-risk review and the forecast review. Each tells the assistant
/// which tools to call with which arguments and what a good answer contains, and embeds the current figures
/// (computed through the same services as the tools) so that drafting can start without a round trip.
/// </summary>
[McpServerPromptType]
public sealed class WorkflowPrompts(ValueService service)
{
    private const string AsOfDoc = "Date to compute as of, ISO yyyy-MM-dd (UTC day). Default: today.";

    /// <summary>The renewal window the prompts look ahead: this many days from as_of (the board's, BoardFigures).</summary>
    private const int LookAheadDays = BoardFigures.LookAheadDays;

    private static (DateOnly Start, DateOnly End) RenewalWindow(DateOnly asOf, int ahead) => BoardFigures.RenewalWindow(asOf, ahead);

    private static string WindowText(DateOnly start, DateOnly end) => BoardFigures.WindowText(start, end);

    [McpServerPrompt(Name = "board_prep_summary", Title = "Board prep: one-page post-sale summary")]
    [Description("Drafts a one-page board summary of post-sale value for a period: portfolio KPIs, NRR/GRR and logo retention for the period (by segment), the renewal forecast range for the next 90 days, the main renewal risks and the expansion pipeline. Embeds the current figures and says which tools give the detail.")]
    public GetPromptResult BoardPrepSummary(
        [Description(AsOfDoc)] string? as_of = null,
        [Description("The period to report: a quarter (2026-Q1), a year (2026), or start..end ISO dates with the end excluded (2026-01-01..2026-04-01). Default: the last full quarter before as_of.")] string? period = null) =>
        Render("board_prep_summary", () =>
        {
            var asOf = service.AsOf(as_of);
            var board = BoardFigures.Of(service, asOf, period);
            var (p, fStart, fEnd) = (board.Period, board.ForecastStart, board.ForecastEnd);

            var s = new StringBuilder();
            s.AppendLine($"Prepare a one-page board summary of post-sale value for {p.Label} (movements dated {Date(p.Start)} to {Date(p.LastDay)}), as of {Date(asOf)}.");
            s.AppendLine();
            s.AppendLine("Call these ValueMcp tools (all with as_of = " + Date(asOf) + "):");
            s.AppendLine("1. get_portfolio_health {} for the four KPIs (ARR managed, share on track, expansion ready, ARR at risk).");
            s.AppendLine($"2. retention_metrics {{\"period_start\": \"{Date(p.Start)}\", \"period_end\": \"{Date(p.End)}\", \"group_by\": \"segment\"}}; add group_by \"cohort_year\" if the board asks about cohorts.");
            s.AppendLine($"3. renewal_forecast {{\"period_start\": \"{Date(fStart)}\", \"period_end\": \"{Date(fEnd)}\"}} for the range of renewed ARR and the accounts that move it (its movers): {WindowText(fStart, fEnd)}.");
            s.AppendLine($"4. list_renewal_risks {{\"within_days\": {LookAheadDays}, \"min_risk\": \"high\"}} and get_account_scorecard for the largest ones.");
            s.AppendLine("5. expansion_ready_accounts {} for the pipeline, and segment_insights {} for the patterns behind the numbers.");
            s.AppendLine();
            s.AppendLine("A good summary fits on one page and:");
            s.AppendLine("- opens with NRR, GRR and logo retention for the period, each with its definition (NRR = (S + E - C - X) / S over the accounts active before the period; new logos excluded) and the benchmark for context, not as a verdict;");
            s.AppendLine("- gives the four KPIs with their definitions;");
            s.AppendLine("- states renewals as a range (downside / base / upside), never as one certain number, and names the accounts that move the range;");
            s.AppendLine("- names the top renewal risks with the rule that fired and a concrete next step with an owner (the CSM);");
            s.AppendLine("- names the expansion-ready accounts with their lane and typical timing;");
            s.AppendLine("- ends with two or three decisions or asks for the board, and flags caveats (low-confidence evidence, periods measured to date).");
            s.AppendLine();
            s.AppendLine($"Current figures (as of {Date(asOf)}):");
            foreach (var line in board.Lines()) s.AppendLine(line);
            return ($"Board summary for {p.Label} as of {Date(asOf)}", s.ToString());
        });

    [McpServerPrompt(Name = "csm_coaching", Title = "CSM coaching conversation")]
    [Description("Drafts a coaching conversation with one customer success manager: their book's KPIs, the accounts that need attention and why, the missing evidence to capture, the expansion to open and the renewals to secure. Embeds the current figures of the book.")]
    public GetPromptResult CsmCoaching(
        [Description("The CSM's name as stored (case-insensitive), e.g. as csm_book or list_accounts show it.")] string csm,
        [Description(AsOfDoc)] string? as_of = null) =>
        Render("csm_coaching", () =>
        {
            var asOf = service.AsOf(as_of);
            var name = Inputs.Known(Inputs.RequiredText(csm, "csm"), "csm", service.Known(asOf).Csms)!;
            var book = CsmBookTool.Answer(service, name, asOf);
            var filter = new PortfolioFilter { Csm = name };
            var expansion = ExpansionReadyTool.Answer(service, asOf, filter, true, 10);
            var (fStart, fEnd) = RenewalWindow(asOf, 2 * LookAheadDays);
            var forecast = RenewalForecastTool.Answer(service, fStart, fEnd, filter, asOf, 10);

            var s = new StringBuilder();
            s.AppendLine($"Prepare a coaching conversation with {name} (customer success manager) about their book, as of {Date(asOf)}.");
            s.AppendLine();
            s.AppendLine($"Call these ValueMcp tools (all with as_of = {Date(asOf)}):");
            s.AppendLine($"1. csm_book {{\"csm\": \"{name}\"}} for the book's KPIs and the accounts needing attention in priority order.");
            s.AppendLine("2. get_account_scorecard {\"account_id\": ...} for the first three accounts needing attention: which outcomes are overdue, which evidence is missing or low-confidence.");
            s.AppendLine($"3. expansion_ready_accounts {{\"csm\": \"{name}\", \"include_emerging\": true}} for the expansion to open (lane and timing).");
            s.AppendLine($"4. renewal_forecast {{\"csm\": \"{name}\", \"period_start\": \"{Date(fStart)}\", \"period_end\": \"{Date(fEnd)}\"}} for the renewals: {WindowText(fStart, fEnd)}.");
            s.AppendLine($"5. segment_insights {{\"csm\": \"{name}\"}} to compare the book with the portfolio.");
            s.AppendLine();
            s.AppendLine("A good coaching conversation:");
            s.AppendLine("- starts with what is going well (accounts on track, evidence captured, recent wins) with the numbers;");
            s.AppendLine("- picks at most three accounts to focus on, each named with the rule that fired (band, overdue outcome, renewal risk) and one concrete next step with a date;");
            s.AppendLine("- names the missing evidence by outcome title and says how to capture it (usage data beats a meeting note: confidence high vs low);");
            s.AppendLine("- names one or two expansion conversations to open, with lane and typical timing, only where value is evidenced;");
            s.AppendLine("- asks open questions the manager can use, and agrees follow-ups; it coaches, it does not blame.");
            s.AppendLine();
            s.AppendLine($"Current figures for {name} (as of {Date(asOf)}):");
            s.AppendLine($"- Book: {Kpis(book.Kpis)}.");
            s.AppendLine($"- Bands: {Counts(book.ByBand)}. Fulfilment distribution: {string.Join(", ", book.FulfilmentDistribution.Select(f => $"{f.Range} {f.Count}"))}.");
            s.AppendLine($"- {book.NeedsAttention.Count} accounts need attention{(book.NeedsAttention.Count > 0 ? " (priority order):" : ".")}");
            foreach (var a in book.NeedsAttention.Take(8))
                s.AppendLine($"  - {a.Name} [{a.Id}] ARR {Money(a.Arr)}, fulfilment {Frac(a.Fulfilment)} ({a.OutcomesEvidenced}/{a.OutcomesPromised}, {N(a.Band)}), {a.OutcomesOverdue} overdue: {N(a.NextAction.Kind)}: {a.NextAction.Reason}");
            s.AppendLine($"- Expansion: {expansion.Accounts.Count(a => a.Readiness == Readiness.Ready)} ready (ARR {Money(expansion.ExpansionReadyArr)}), {expansion.Accounts.Count(a => a.Readiness == Readiness.Emerging)} emerging listed (ARR {Money(expansion.EmergingArr)}){(expansion.Accounts.Count > 0 ? ":" : ".")}");
            foreach (var a in expansion.Accounts)
                s.AppendLine($"  - {a.Name} [{a.Id}] ARR {Money(a.Arr)}, {N(a.Readiness)}, lane {(a.Lane is { } l ? N(l) : "modules")} ({a.Timing})");
            s.AppendLine($"- Renewal forecast, {WindowText(fStart, fEnd)}: {forecast.Total} accounts, ARR due {Money(forecast.ArrDue)}; downside {Money(forecast.Downside)}, base {Money(forecast.Base)}, upside {Money(forecast.Upside)}.");
            foreach (var a in forecast.Accounts.Where(a => a.ScenarioRole != ScenarioRole.Steady))
                s.AppendLine($"  - {a.Name} [{a.Id}] ARR {Money(a.Arr)}, renews {Date(a.RenewalDate)}, probability {Frac(a.Probability)}: {a.ScenarioNote}");
            return ($"Coaching {name} as of {Date(asOf)}", s.ToString());
        });

    [McpServerPrompt(Name = "weekly_at_risk_review", Title = "Weekly at-risk review agenda")]
    [Description("Drafts the agenda of the weekly at-risk review: what changed over the last days (accounts whose band, readiness or renewal risk moved), the renewals at risk in the next 90 days with owners and next steps, and the forecast range. Embeds the current movers and risks.")]
    public GetPromptResult WeeklyAtRiskReview(
        [Description("How many days back to look for changes, 1-90. Default 7.")] string? days = null,
        [Description(AsOfDoc)] string? as_of = null) =>
        Render("weekly_at_risk_review", () =>
        {
            var asOf = service.AsOf(as_of);
            var back = ParseDays(days);
            var since = asOf.AddDays(-back);
            var movers = MoversTool.Answer(service, since, asOf, PortfolioFilter.None);
            var risks = RenewalRisksTool.Answer(service, asOf, PortfolioFilter.None, LookAheadDays, RenewalRisk.Medium, 10);
            var (fStart, fEnd) = RenewalWindow(asOf, LookAheadDays);
            var forecast = RenewalForecastTool.Answer(service, fStart, fEnd, PortfolioFilter.None, asOf, 5);

            var s = new StringBuilder();
            s.AppendLine($"Prepare the agenda of the weekly at-risk review for {Date(asOf)}, covering the changes since {Date(since)} ({back} days).");
            s.AppendLine();
            s.AppendLine($"Call these ValueMcp tools (all with as_of = {Date(asOf)}):");
            s.AppendLine($"1. portfolio_movers {{\"days\": {back}}} for the accounts whose band, readiness or renewal risk changed, with the outcomes that fell behind and the new signals.");
            s.AppendLine($"2. list_renewal_risks {{\"within_days\": {LookAheadDays}, \"min_risk\": \"medium\"}} for the renewals at risk.");
            s.AppendLine("3. get_account_scorecard {\"account_id\": ...} for each high-risk account and each account that moved toward trouble.");
            s.AppendLine($"4. renewal_forecast {{\"period_start\": \"{Date(fStart)}\", \"period_end\": \"{Date(fEnd)}\"}} for the range and the accounts that move it (its movers).");
            s.AppendLine();
            s.AppendLine("A good agenda:");
            s.AppendLine("1. What changed: the movers, worst first, each with before -> after and the fact that caused it (an overdue outcome, a new risk signal).");
            s.AppendLine("2. Renewals at risk in the next 90 days: each account named with ARR, renewal date, risk and the rule that fired, its CSM as owner and one concrete next step with a date.");
            s.AppendLine("3. The forecast as a range (downside / base / upside) and which accounts would move it.");
            s.AppendLine("4. Decisions and escalations needed this week; follow-ups to check next week.");
            s.AppendLine("Quote numbers with their definitions; keep it to what the team can act on this week.");
            s.AppendLine();
            s.AppendLine($"Current figures (as of {Date(asOf)}):");
            s.AppendLine($"- Movers since {Date(since)}: {movers.Total}{(movers.Total > 0 ? ":" : ".")}");
            // portfolio_movers already lists them worst first (Movers.WorstFirst): the agenda keeps that order.
            if (movers.Total > 0) s.AppendLine("  (worst first: toward higher risk, a lower band or lower readiness)");
            foreach (var m in movers.Movers.Take(10))
                s.AppendLine($"  - {m.Account.Name} [{m.Account.Id}] ARR {Money(m.Account.Arr)}, CSM {m.Account.Csm}: {string.Join(", ", m.Changes)}" +
                    (m.Causes.Count > 0 ? $"; because: {string.Join("; ", m.Causes)}" : "") +
                    (m.OutcomesFellBehind.Count > 0 ? $"; fell behind: {string.Join("; ", m.OutcomesFellBehind.Select(o => o.Title))}" : "") +
                    (m.NewSignals.Count > 0 ? $"; new signals: {string.Join(", ", m.NewSignals.Select(x => $"{x.Kind} ({(x.Polarity > 0 ? "+" : "-")})"))}" : ""));
            if (movers.Total > 10) s.AppendLine($"  - ... and {movers.Total - 10} more (portfolio_movers lists all).");
            s.AppendLine($"- Renewal risks within {LookAheadDays} days: {risks.Total} accounts at medium or high risk; ARR high {Money(risks.ArrByRisk.High)}, medium {Money(risks.ArrByRisk.Medium)}{(risks.Accounts.Count > 0 ? ":" : ".")}");
            foreach (var a in risks.Accounts)
                s.AppendLine($"  - {a.Name} [{a.Id}] ARR {Money(a.Arr)}, CSM {a.Csm}, {Renewal(a.RenewalDate, a.DaysToRenewal)}, risk {N(a.Risk)}: {a.RiskReasons}; next: {N(a.NextAction.Kind)}");
            s.AppendLine($"- Renewal forecast, {WindowText(fStart, fEnd)}: {forecast.Total} accounts, ARR due {Money(forecast.ArrDue)}; downside {Money(forecast.Downside)}, base {Money(forecast.Base)}, upside {Money(forecast.Upside)}.");
            foreach (var line in BoardFigures.RangeMovers(forecast)) s.AppendLine(line);
            foreach (var line in BoardFigures.LowestOdds(forecast)) s.AppendLine(line);
            return ($"Weekly at-risk review for {Date(asOf)}", s.ToString());
        });

    [McpServerPrompt(Name = "forecast_review", Title = "Forecast review: how good were our calls")]
    [Description("Drafts the \"how good were our calls\" section of a board deck for a period: the renewals dated in it, each as the renewal forecast saw it 90 days before (forecast_accuracy): the Brier score and its reliability / resolution split, the reliability table, how often renewed ARR fell inside the forecast range, the bias, the misses with their recorded causes, how human probability overrides fared, and what the probabilities measured on the past year would change in the next quarter's forecast (renewal_forecast probabilities=measured). Embeds the figures, each with its count.")]
    public GetPromptResult ForecastReview(
        [Description("The renewal dates to review: a quarter (2026-Q1), a year (2026), or start..end ISO dates with the end excluded (2026-01-01..2026-04-01). Default: the last full quarter before as_of.")] string? period = null,
        [Description(AsOfDoc)] string? as_of = null) =>
        Render("forecast_review", () =>
        {
            var asOf = service.AsOf(as_of);
            var p = string.IsNullOrWhiteSpace(period) ? Periods.LastFullQuarter(asOf) : Periods.Parse(period, "period");
            if (p.Start > asOf) throw new InputException($"period: {p.Label} starts after as_of {Date(asOf)}; pick a period that has started");
            var policy = service.Policy;
            var horizon = policy.ForecastHorizonDays;
            var (rows, skipped) = ForecastAccuracyTool.Run(service, p.Start, p.End, horizon, asOf);
            var accuracy = ForecastAccuracyTool.Answer(service, rows, skipped, p.Start, p.End, horizon, AccuracyGrouping.Segment, asOf, 5);
            var byCsm = ForecastAccuracyTool.Groups(rows, AccuracyGrouping.Csm, policy);
            var misses = Backtest.Misses(rows, policy);
            var (nStart, nEnd) = (asOf, asOf.AddDays(90));
            var asPolicy = RenewalForecastTool.Answer(service, nStart, nEnd, PortfolioFilter.None, asOf, 5);
            var asMeasured = RenewalForecastTool.Answer(service, nStart, nEnd, PortfolioFilter.None, asOf, 5, measured: true);
            var args = $"\"period_start\": \"{Date(p.Start)}\", \"period_end\": \"{Date(p.End)}\"";

            var s = new StringBuilder();
            s.AppendLine($"Draft the \"how good were our calls\" section of the board deck for the renewals dated in {p.Label} ({Date(p.Start)} to {Date(p.LastDay)}), as of {Date(asOf)}.");
            s.AppendLine();
            s.AppendLine($"Call these ValueMcp tools (all with as_of = {Date(asOf)}):");
            s.AppendLine($"1. forecast_accuracy {{{args}, \"group_by\": \"segment\"}}: each renewal of the period as the forecast saw it {horizon} days before its date, against what happened.");
            s.AppendLine($"2. forecast_accuracy {{{args}, \"group_by\": \"csm\"}} (and \"tier\") for calibration by owner; {{{args}, \"horizon_days\": 30}} to see whether the calls got better closer to the date.");
            s.AppendLine("3. get_account_scorecard {\"account_id\": ...} for the largest misses: what the facts said then, what happened since.");
            s.AppendLine($"4. renewal_forecast {{\"period_start\": \"{Date(nStart)}\", \"period_end\": \"{Date(nEnd)}\", \"probabilities\": \"measured\"}} beside the same call without probabilities: what the probabilities learned from the past year change in the next 90 days.");
            s.AppendLine();
            s.AppendLine("A good section:");
            s.AppendLine("- opens with one sentence on calibration: the Brier score against two references (0.25 for always saying 0.5; the uncertainty, for always saying the observed renewal rate), with the count of renewals behind it;");
            s.AppendLine("- reads the reliability table plainly: in which probability bins the forecast was too cautious or too confident (mean forecast vs observed rate, with each bin's count); resolution says whether the forecast told renewals from churns at all;");
            s.AppendLine("- gives the ARR view: renewed ARR against the base, the share of renewals inside [downside, upside], the bias (positive: the forecast was too high) and the weighted absolute error;");
            s.AppendLine("- names the largest misses with their recorded causes, and tallies the causes (sponsor change, budget, competitor, value not realised, product gap, price); a miss without a cause is a gap in the record to close;");
            s.AppendLine("- says how human overrides fared against the computed probability, if any were in force;");
            s.AppendLine("- ends with what changes: the cells of the measured table with enough renewals and their effect on the next quarter's range, and one or two process fixes (record causes, capture evidence earlier);");
            s.AppendLine("- flags small counts: a group or bin of a few renewals proves little; say so rather than draw a conclusion.");
            s.AppendLine();
            var o = accuracy.Overall;
            s.AppendLine($"Current figures (as of {Date(asOf)}; each renewal forecast {horizon} days before its date):");
            s.AppendLine($"- Overall: {ForecastAccuracyTool.Figures(o)}");
            if (o.Count > 0)
            {
                s.AppendLine($"- References: always 0.5 scores 0.2500; always the observed rate scores {ForecastAccuracyTool.F4(o.Uncertainty)}.");
                s.AppendLine("- Reliability table (bins with renewals): " + string.Join("; ", o.Bins.Where(b => b.Count > 0).Select(b =>
                    $"[{Frac(b.Lower)}, {Frac(b.Upper)}{(b.Upper == 1m ? "]" : ")")} {b.Count} renewal(s), mean forecast {Frac(b.MeanForecast)}, observed {Frac(b.ObservedRate)}")) + ".");
            }
            foreach (var g in accuracy.Groups) s.AppendLine($"- Segment {(g.Group.Length == 0 ? "(empty)" : g.Group)}: {ForecastAccuracyTool.Figures(g)}");
            foreach (var g in byCsm) s.AppendLine($"- CSM {(g.Group.Length == 0 ? "(none)" : g.Group)}: {g.Count} renewals ({g.Renewed} renewed), Brier {ForecastAccuracyTool.F4(g.Brier)}, bias {Money(g.Bias)}.");
            s.AppendLine(o.Overrides.Count > 0
                ? $"- Probability overrides: {o.Overrides.Count} renewal(s) ({o.Overrides.Renewed} renewed); Brier {ForecastAccuracyTool.F4(o.Overrides.BrierOverride)} with the override against {ForecastAccuracyTool.F4(o.Overrides.BrierComputed)} computed; the override was closer {o.Overrides.OverrideCloser} time(s), the computed one {o.Overrides.ComputedCloser}, tied {o.Overrides.Tied}."
                : "- Probability overrides: none in force on the forecast dates.");
            var causes = misses.GroupBy(m => m.Row.Decision.Reason is RenewalReason r ? N(r) : "no cause recorded")
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
            s.AppendLine($"- Misses: {misses.Count} (forecast >= {Frac(policy.MissHighProbability)} that churned or contracted: {misses.Count(m => m.Row.Decision.Outcome != RenewalOutcome.Renewed)}; <= {Frac(policy.MissLowProbability)} that renewed in full: {misses.Count(m => m.Row.Decision.Outcome == RenewalOutcome.Renewed)})" +
                (misses.Count > 0 ? $"; causes: {string.Join(", ", causes)}. Largest:" : "."));
            foreach (var m in accuracy.Misses)
                s.AppendLine($"  - {m.Name} [{m.AccountId}] CSM {m.Csm}, renewal {Date(m.RenewalDate)}, ARR due {Money(m.ArrDue)}: {m.Kind}" +
                    (m.Reason is RenewalReason why ? $", cause {N(why)}" : ", no cause recorded") + (m.Note.Length > 0 ? $" ({m.Note})" : "") + ".");
            if (accuracy.SkippedCount > 0) s.AppendLine($"- Not backtested: {accuracy.SkippedCount} renewal(s) of the period (forecast date after as_of, or not active then).");
            s.AppendLine($"- Next 90 days ({Date(nStart)} to {Date(nEnd.AddDays(-1))}), {asPolicy.Total} renewals, ARR due {Money(asPolicy.ArrDue)}: with the policy's table downside {Money(asPolicy.Downside)}, base {Money(asPolicy.Base)}, upside {Money(asPolicy.Upside)}; " +
                $"with the measured table downside {Money(asMeasured.Downside)}, base {Money(asMeasured.Base)}, upside {Money(asMeasured.Upside)}.");
            s.AppendLine($"- Measured table: {asMeasured.Probabilities}.");
            foreach (var c in asMeasured.MeasuredTable!.Cells.Where(c => c.Count > 0))
                s.AppendLine($"  - risk {N(c.Risk)}, band {N(c.Band)}: {c.Renewed} of {c.Count} renewed ({Frac(c.Rate)}){(c.Used ? ", used" : $", fewer than {asMeasured.MeasuredTable.MinCount}: the policy's formula stays")}.");
            return ($"Forecast review for {p.Label} as of {Date(asOf)}", s.ToString());
        });

    private static int ParseDays(string? days)
    {
        if (string.IsNullOrWhiteSpace(days)) return 7;
        if (int.TryParse(days.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= 90) return n;
        throw new InputException($"days: \"{Inputs.Show(days)}\" is not accepted; accepted: a whole number of days from 1 to 90 (default 7)");
    }

    /// <summary>Builds the prompt; bad input becomes an MCP error that says what is accepted.</summary>
    internal static GetPromptResult Render(string prompt, Func<(string Description, string Text)> body)
    {
        try
        {
            var (description, text) = body();
            return new GetPromptResult
            {
                Description = description,
                Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = text } }],
            };
        }
        catch (Exception e) when (e is InputException or StoreException)
        {
            throw new McpProtocolException($"{prompt}: {e.Message}", McpErrorCode.InvalidParams);
        }
    }
}
