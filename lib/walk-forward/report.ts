/**
 * Text output of `scripts/walk-forward.ts`: a progress bar on a terminal (cli-progress) or
 * plain progress lines, and the closing summary with the steps table.
 */
import cliProgress from 'cli-progress';
import type { WalkForwardProgress } from './run';
import type { WalkForwardResult } from './types';

/** Receives progress updates; `stop` ends the bar before the summary is printed. */
export interface WalkForwardProgressReporter {
  update(progress: WalkForwardProgress): void;
  stop(): void;
}

/** A bar when `stream` is a TTY, else one plain line per finished step and per phase. */
export function createWalkForwardReporter(stream: NodeJS.WriteStream = process.stderr): WalkForwardProgressReporter {
  if (!stream.isTTY) {
    let last = '';
    return {
      update(p) {
        // The hindsight search reports each finished part; one line per step and phase is enough.
        const shown = `${p.phase} ${p.done}`;
        if (shown === last) return;
        last = shown;
        stream.write(
          p.phase === 'training'
            ? `[walk-forward] ${p.done}/${p.total} steps trained\n`
            : `[walk-forward] ${p.phase === 'hindsight' ? 'hindsight search over the whole range' : 'evaluating'}\n`,
        );
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: 'Walk-forward [{bar}] {percentage}% | step {value}/{total} | {phase} | ETA {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(p.total, 0, { phase: p.phase });
        started = true;
      }
      bar.update(p.done, { phase: p.phase });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(2)} %`);
const num = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(2));

/** The headline numbers and the steps table of a result, for a terminal. */
export function formatWalkForward(r: WalkForwardResult): string {
  const i = r.input;
  const title =
    `${i.asset} ${i.timeframe} ${i.strategy} ${i.leverage}× walk-forward, ${i.anchored ? 'anchored' : 'rolling'} ` +
    `${i.trainDays}/${i.testDays} days, objective ${i.objective}, minTrades ${i.minTrades}\n` +
    `range ${r.range.start}..${r.range.end}, out of sample ${r.outOfSample.start}..${r.outOfSample.end} (${r.metrics.bars} bars)`;
  const hindsight = r.hindsight ? `${pct(r.hindsight.metrics.returns)} (pair ${r.hindsight.pair.low}/${r.hindsight.pair.high})` : 'n/a (no eligible pair)';
  const rows: [string, string][] = [
    ['Out-of-sample return', pct(r.metrics.returns)],
    ['Out-of-sample Sharpe ratio', num(r.metrics.sharpeRatio)],
    ['Out-of-sample max drawdown', `${r.metrics.maxDrawdown.toFixed(2)} %`],
    ['Buy-and-hold return', pct(r.metrics.buyAndHoldReturn)],
    ['Hindsight return', hindsight],
    ['Worse than hindsight by', r.hindsightGap === null ? 'n/a' : `${r.hindsightGap.toFixed(2)} points`],
    ['Walk-forward efficiency', r.efficiency === null ? 'n/a' : r.efficiency.toPrecision(3)],
    ['Trades', String(r.metrics.trades)],
    ['Execution time', `${(r.executionTime / 1000).toFixed(2)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const header = ['step', 'training', 'test', 'pair', i.objective, 'test return', 'equity'];
  const table = r.steps.map((s) => [
    String(s.index),
    `${s.train.start}..${s.train.end}`,
    `${s.test.start}..${s.test.end}`,
    s.pair ? `${s.pair.low}/${s.pair.high}` : '—',
    num(s.objectiveValue),
    s.testMetrics ? pct(s.testMetrics.returns) : `flat (${s.flatReason})`,
    s.endEquity.toFixed(2),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [
    title,
    '',
    ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`),
    '',
    line(header),
    ...table.map(line),
  ].join('\n');
}
