using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using ValueMcp.Server.App;
using ValueMcp.Server.Ui;

namespace ValueMcp.Server.Tools;

/// <summary>
/// The resources: the glossary (definitions and the thresholds in force), each account's scorecard, and the portfolio
/// view (an MCP App: the HTML page hosts show for get_portfolio_health and list_accounts).
/// </summary>
[McpServerResourceType]
public sealed class ValueResources(ValueService service)
{
    public const string GlossaryUri = "value://glossary";
    public const string AccountTemplate = "value://accounts/{id}";

    [McpServerResource(UriTemplate = GlossaryUri, Name = "glossary", Title = "Glossary: definitions and thresholds in force", MimeType = "text/markdown")]
    [Description("The definitions of every figure (fulfilment, band, readiness, renewal risk, KPIs, NRR, GRR, the forward model) and every threshold of the scoring policy in force, with the renewal forecast's probability table and scenario rules. Generated from the policy, so it is always current.")]
    public string GetGlossary() => Glossary.Markdown(service.Policy);

    [McpServerResource(UriTemplate = AccountTemplate, Name = "account_scorecard", Title = "Account scorecard (JSON)", MimeType = "application/json")]
    [Description("One account's scorecard as JSON, as of today: the same content as the get_account_scorecard tool (card, outcomes and evidence, recent signals, ARR history, reasons, overrides). {id} is the account id (the CRM key).")]
    public string GetAccount([Description("The account id (the CRM key), as list_accounts shows it.")] string id)
    {
        try
        {
            var scorecard = ScorecardTool.Answer(service, Inputs.RequiredText(Uri.UnescapeDataString(id), "id"), service.Today);
            return Json.Serialize(scorecard);
        }
        catch (InputException)
        {
            throw new McpProtocolException(
                $"unknown account id \"{Inputs.Show(Uri.UnescapeDataString(id))}\" in value://accounts/{{id}}; use list_accounts to find account ids",
                McpErrorCode.InvalidParams);
        }
    }

    [McpServerResource(UriTemplate = PortfolioApp.Uri, Name = "portfolio_view", Title = "Portfolio view (MCP App)", MimeType = PortfolioApp.MimeType)]
    [Description("The portfolio view as an MCP App (one self-contained HTML page, no network): KPI cards, lifecycle strip, filterable and sortable account cards and scorecards. It calls get_portfolio_health, list_accounts, expansion_ready_accounts and get_account_scorecard. Hosts with MCP Apps support show it for get_portfolio_health and list_accounts.")]
    public static string GetPortfolioView() => PortfolioApp.Html;
}
