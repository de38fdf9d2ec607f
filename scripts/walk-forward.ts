/**
 * Walk-forward analysis on the local market data (SPEC §11), in-process:
 *
 *   npm run walk-forward -- --asset ETH --timeframe 4h --leverage 3 --strategy contrarian
 *       [--train 365 --test 90 --objective sharpeRatio --min-trades 1 --anchored --start --end] [--json]
 *
 * A progress bar on a terminal (plain lines otherwise, on stderr), then the headline numbers and
 * the steps; with --json the result object the API returns. Exit code 2 for invalid arguments,
 * 1 when the analysis cannot run (range too short, unreadable market data).
 */
import './react-server-condition';
import { loadSeries } from '../lib/market-data';
import { parseWalkForwardArgs, WALK_FORWARD_USAGE, type WalkForwardCommand } from '../lib/walk-forward/cli-args';
import { walkForwardInput } from '../lib/walk-forward/plan';
import { createWalkForwardReporter, formatWalkForward } from '../lib/walk-forward/report';
import { computeWalkForward } from '../lib/walk-forward/run';

async function main(): Promise<number> {
  let command: WalkForwardCommand;
  try {
    command = parseWalkForwardArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`walk-forward: ${(error as Error).message}\n\n${WALK_FORWARD_USAGE}`);
    return 2;
  }
  if (command.help) {
    console.log(WALK_FORWARD_USAGE);
    return 0;
  }
  const reporter = createWalkForwardReporter();
  try {
    const input = walkForwardInput(command.request);
    const series = await loadSeries(input.asset, input.timeframe);
    const result = await computeWalkForward(series, input, { onProgress: (p) => reporter.update(p) });
    reporter.stop();
    console.log(command.json ? JSON.stringify(result, null, 2) : formatWalkForward(result));
    return 0;
  } catch (error) {
    reporter.stop();
    console.error(`walk-forward: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
