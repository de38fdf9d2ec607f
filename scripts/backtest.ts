/**
 * Runs one backtest on the local market data and prints its metrics.
 *
 *   npm run backtest -- --asset ETH --timeframe 4h --leverage 3 --low 25 --high 75 --strategy contrarian
 *       [--extreme-low N --extreme-high N] [--start YYYY-MM-DD --end YYYY-MM-DD] [--json]
 *
 * Without --json: a table of the metrics with units. With --json: the `result` object that
 * POST /api/backtest/execute returns. Exit code 2 for invalid arguments, 1 when the backtest
 * cannot run (no data in the range, unreadable market data).
 */
import './react-server-condition';
import { parseArgs } from 'node:util';
import type { BacktestResult } from '../lib/engine';
import { computeBacktest } from '../lib/backtest-service';
import { BACKTEST_FLAGS, flagNumber, requestFields } from '../lib/cli-flags';
import { backtestParamsSchema, formatZodError } from '../lib/schemas';

const USAGE = `Usage: npm run backtest -- --asset BTC|ETH|SOL --timeframe 15m|1h|4h --leverage 1-12
         --low 1-99 --high 2-100 --strategy contrarian|momentum
         [--extreme-low N --extreme-high N]   (contrarian only; 0 ≤ extreme-low ≤ low, high ≤ extreme-high ≤ 100)
         [--start YYYY-MM-DD --end YYYY-MM-DD] (UTC days, inclusive; default: the trailing 90 days)
         [--json]                              (print the API's result object)`;

const OPTIONS = {
  ...BACKTEST_FLAGS,
  low: { type: 'string' },
  high: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

const fixed = (x: number, digits: number) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const shortUtc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

/** Two-column table of the metrics, each with its unit. */
function summary(r: BacktestResult): string {
  const p = r.params;
  const extreme =
    p.extremeLowThreshold !== undefined ? `, extremes ${p.extremeLowThreshold}/${p.extremeHighThreshold}` : '';
  const title =
    `${p.asset} ${p.timeframe} ${p.strategy} ${p.leverage}× FGI ${p.lowThreshold}/${p.highThreshold}${extreme}\n` +
    `${shortUtc(r.period.start)} → ${shortUtc(r.period.end)} UTC, ${r.bars} bars`;
  const rows: [string, string][] = [
    ['Return', `${fixed(r.returns, 2)} %`],
    ['Buy-and-hold return', `${fixed(r.buyAndHoldReturn, 2)} %`],
    ['Final equity', `${fixed(r.finalEquity, 2)} USDT`],
    ['Max drawdown', `${fixed(r.maxDrawdown, 2)} %`],
    ['Sharpe ratio', fixed(r.sharpeRatio, 2)],
    ['Sortino ratio', fixed(r.sortinoRatio, 2)],
    ['Calmar ratio', r.calmarRatio === null ? 'n/a (no drawdown)' : fixed(r.calmarRatio, 2)],
    ['Trades', String(r.trades)],
    ['Win rate', `${fixed(r.winRate, 1)} %`],
    ['Profit factor', r.profitFactor === null ? 'n/a (no losing trade)' : fixed(r.profitFactor, 2)],
    ['Average win', `${fixed(r.avgWin, 2)} % of margin`],
    ['Average loss', `${fixed(r.avgLoss, 2)} % of margin`],
    ['Fees paid', `${fixed(r.fees, 2)} USDT`],
    ['Funding paid', `${fixed(r.funding, 2)} USDT`],
    ['Liquidations', String(r.liquidations)],
    ['Exposure', `${fixed(r.exposure, 1)} % of bars`],
    ['Extreme overrides', String(r.overrides)],
    ['Execution time', `${fixed(r.executionTime, 3)} ms`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [title, '', ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`)].join('\n');
}

async function main(): Promise<number> {
  let values: Values;
  try {
    values = parseArgs({ options: OPTIONS, strict: true }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const parsed = backtestParamsSchema.safeParse(
    requestFields(values, { lowThreshold: flagNumber(values.low), highThreshold: flagNumber(values.high) }),
  );
  if (!parsed.success) {
    console.error(`Invalid arguments: ${formatZodError(parsed.error)}\n\n${USAGE}`);
    return 2;
  }
  try {
    const { result } = await computeBacktest(parsed.data);
    console.log(values.json ? JSON.stringify(result, null, 2) : summary(result));
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
