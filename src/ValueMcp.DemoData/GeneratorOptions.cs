namespace ValueMcp.DemoData;

/// <summary>Options of <see cref="PortfolioGenerator.Write"/>.</summary>
/// <param name="Accounts">Number of accounts to generate (1 to 10,000,000).</param>
/// <param name="Seed">Seed of the deterministic generator: the same options give byte-identical files on any machine.</param>
/// <param name="AnchorDate">The "today" of the portfolio: no fact is dated after it. Default <see cref="PortfolioGenerator.DemoAnchorDate"/> (2026-11-24).</param>
/// <param name="Metrics">Whether to write metrics.csv: 5 metrics per account, a reading a week over the year before the anchor (52 x 5 rows an account), from the contract's start and until a churn. Default true.</param>
/// <param name="FullYearReadings">With metrics.csv: every account's readings cover the whole year before the anchor, before its
/// contract start and after a churn too (usage measured by a system outside the contract's dates), so that the file has exactly
/// accounts x 5 x 52 rows (the benchmark's scale). Default false: the demo portfolio's readings are unchanged.</param>
public sealed record GeneratorOptions(int Accounts = 150, int Seed = 20261124, DateOnly? AnchorDate = null, bool Metrics = true, bool FullYearReadings = false);
