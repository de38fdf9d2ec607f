'use client';
/**
 * The walk-forward view (SPEC §11): its inputs (defaulting to the page's asset, timeframe,
 * leverage, strategy and extreme thresholds), a run button, the job's progress, then the chained
 * out-of-sample equity against buy-and-hold and hindsight, the headline numbers and the steps.
 * Clicking a step's pair hands that step's test window and pair to `onSelectStep`; the chosen
 * pairs go to `onPathChange` (for the heatmap overlay) whenever a result arrives.
 */
import { memo, useEffect, useId, useState, type FormEvent } from 'react';
import { Card } from '@/components/ui/card';
import { formatDuration, formatPercent, formatRatio } from '@/lib/client/format';
import { useWalkForward } from '@/lib/client/use-walk-forward';
import {
  ASSETS,
  STRATEGIES,
  TIMEFRAMES,
  WALK_FORWARD_OBJECTIVES,
  formatZodError,
  walkForwardRequestSchema,
  type Asset,
  type BacktestParams,
  type Strategy,
  type Timeframe,
  type WalkForwardObjective,
  type WalkForwardRequestInput,
} from '@/lib/schemas';
import { pairParams } from '@/lib/walk-forward/pair-params';
import type { WalkForwardResult } from '@/lib/walk-forward/types';
import { WalkForwardChart } from './walk-forward-chart';
import { WalkForwardSteps } from './walk-forward-steps';
import styles from './walk-forward-panel.module.css';

/** Props: the page's current settings (the inputs' defaults) and the two callbacks. */
export interface WalkForwardPanelProps {
  asset: Asset;
  timeframe: Timeframe;
  leverage: number;
  strategy: Strategy;
  extremes?: { low: number; high: number };
  onSelectStep: (params: BacktestParams) => void;
  onPathChange: (path: { low: number; high: number }[]) => void;
  /** Poll interval of a running job, ms (tests shorten it). */
  pollIntervalMs?: number;
}

const OBJECTIVE_NAMES: Record<WalkForwardObjective, string> = {
  sharpeRatio: 'Sharpe ratio',
  returns: 'Return',
  calmarRatio: 'Calmar ratio',
};

interface FormState {
  asset: Asset;
  timeframe: Timeframe;
  leverage: string;
  strategy: Strategy;
  trainDays: string;
  testDays: string;
  objective: WalkForwardObjective;
  minTrades: string;
  anchored: boolean;
  start: string;
  end: string;
}

/** The request body of the form; numbers stay NaN when not numeric so the schema names the field. */
function requestBody(form: FormState, extremes: WalkForwardPanelProps['extremes']): WalkForwardRequestInput {
  const body: Record<string, unknown> = {
    asset: form.asset,
    timeframe: form.timeframe,
    leverage: Number(form.leverage),
    strategy: form.strategy,
    trainDays: Number(form.trainDays),
    testDays: Number(form.testDays),
    objective: form.objective,
    minTrades: Number(form.minTrades),
    anchored: form.anchored,
  };
  if (extremes && form.strategy === 'contrarian') {
    body.extremeLowThreshold = extremes.low;
    body.extremeHighThreshold = extremes.high;
  }
  if (form.start || form.end) body.dateRange = { start: form.start, end: form.end };
  return body as WalkForwardRequestInput;
}

/** The self-contained walk-forward card (memoised: a threshold drag changes none of its props). */
export const WalkForwardPanel = memo(function WalkForwardPanel(props: WalkForwardPanelProps) {
  const { asset, timeframe, leverage, strategy, extremes, onSelectStep, onPathChange, pollIntervalMs } = props;
  const id = useId();
  const [form, setForm] = useState<FormState>(() => ({
    asset,
    timeframe,
    leverage: String(leverage),
    strategy,
    trainDays: '365',
    testDays: '90',
    objective: 'sharpeRatio',
    minTrades: '1',
    anchored: false,
    start: '',
    end: '',
  }));
  // The page's settings move the defaults along.
  useEffect(() => {
    setForm((f) => ({ ...f, asset, timeframe, leverage: String(leverage), strategy }));
  }, [asset, timeframe, leverage, strategy]);
  const [invalid, setInvalid] = useState<string | null>(null);
  const { run, status, result, cached, error, running } = useWalkForward({ pollIntervalMs });

  useEffect(() => {
    if (result) onPathChange(result.steps.flatMap((s) => (s.pair ? [s.pair] : [])));
  }, [result, onPathChange]);

  const set = <K extends keyof FormState>(key: K) => (value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = requestBody(form, extremes);
    const parsed = walkForwardRequestSchema.safeParse(body);
    if (!parsed.success) {
      setInvalid(formatZodError(parsed.error));
      return;
    }
    setInvalid(null);
    void run(body);
  };
  const field = (name: string) => `${id}-${name}`;

  return (
    <Card title="Walk-forward analysis">
      <form className={styles.form} onSubmit={submit} aria-label="Walk-forward settings" noValidate>
        <label htmlFor={field('asset')}>Asset</label>
        <select id={field('asset')} value={form.asset} onChange={(e) => set('asset')(e.target.value as Asset)}>
          {ASSETS.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
        <label htmlFor={field('timeframe')}>Timeframe</label>
        <select id={field('timeframe')} value={form.timeframe} onChange={(e) => set('timeframe')(e.target.value as Timeframe)}>
          {TIMEFRAMES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <label htmlFor={field('leverage')}>Leverage (×)</label>
        <input id={field('leverage')} type="number" min={1} max={12} value={form.leverage} onChange={(e) => set('leverage')(e.target.value)} />
        <label htmlFor={field('strategy')}>Strategy</label>
        <select id={field('strategy')} value={form.strategy} onChange={(e) => set('strategy')(e.target.value as Strategy)}>
          {STRATEGIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <label htmlFor={field('train')}>Training days</label>
        <input id={field('train')} type="number" min={30} max={1460} value={form.trainDays} onChange={(e) => set('trainDays')(e.target.value)} />
        <label htmlFor={field('test')}>Test days</label>
        <input id={field('test')} type="number" min={7} max={365} value={form.testDays} onChange={(e) => set('testDays')(e.target.value)} />
        <label htmlFor={field('objective')}>Objective</label>
        <select id={field('objective')} value={form.objective} onChange={(e) => set('objective')(e.target.value as WalkForwardObjective)}>
          {WALK_FORWARD_OBJECTIVES.map((o) => (
            <option key={o} value={o}>
              {OBJECTIVE_NAMES[o]}
            </option>
          ))}
        </select>
        <label htmlFor={field('min-trades')}>Min. training trades</label>
        <input id={field('min-trades')} type="number" min={0} max={100} value={form.minTrades} onChange={(e) => set('minTrades')(e.target.value)} />
        <label htmlFor={field('start')}>From (UTC, optional)</label>
        <input id={field('start')} type="date" value={form.start} onChange={(e) => set('start')(e.target.value)} />
        <label htmlFor={field('end')}>To (UTC, optional)</label>
        <input id={field('end')} type="date" value={form.end} onChange={(e) => set('end')(e.target.value)} />
        <label className={styles.check}>
          <input type="checkbox" checked={form.anchored} onChange={(e) => set('anchored')(e.target.checked)} /> Anchored training windows
        </label>
        <button type="submit" className={styles.run} disabled={running}>
          {running ? 'Running…' : 'Run walk-forward'}
        </button>
      </form>
      {invalid && (
        <p className={styles.error} role="alert">
          {invalid}
        </p>
      )}
      {error && (
        <p className={styles.error} role="alert">
          Walk-forward failed{error.status ? ` (HTTP ${error.status})` : ''}: {error.message}
        </p>
      )}
      {status?.status === 'running' && (
        <div className={styles.progress}>
          <progress max={status.total} value={status.done} aria-label="Walk-forward progress" />
          <span role="status">
            {status.phase === 'hindsight'
              ? `All ${status.total} steps trained; hindsight search over the whole range`
              : `Step ${Math.min(status.done + 1, status.total)} of ${status.total}`}
            {status.current && ` (training ${status.current.train.start} → ${status.current.train.end})`}
            {status.etaMs !== null && ` · about ${formatDuration(status.etaMs)} left`}
          </span>
        </div>
      )}
      {result && (
        <WalkForwardResultView
          result={result}
          source={cached ? `cached (${cached.cacheTier ?? 'memory'})` : `computed in ${formatDuration(result.executionTime)}`}
          onSelect={(step) => step.pair && onSelectStep(pairParams(result.input, step.pair, step.test))}
        />
      )}
    </Card>
  );
});

function WalkForwardResultView({
  result,
  source,
  onSelect,
}: {
  result: WalkForwardResult;
  source: string;
  onSelect: Parameters<typeof WalkForwardSteps>[0]['onSelect'];
}) {
  const m = result.metrics;
  const headline: [string, string][] = [
    ['Out-of-sample return', formatPercent(m.returns, { signed: true })],
    ['Sharpe ratio', formatRatio(m.sharpeRatio)],
    ['Max drawdown', formatPercent(m.maxDrawdown)],
    ['Walk-forward efficiency', result.efficiency === null ? '—' : result.efficiency.toPrecision(3)],
    [
      'Worse than hindsight by',
      result.hindsightGap === null ? '—' : `${result.hindsightGap.toFixed(2)} points`,
    ],
    ['Buy-and-hold return', formatPercent(m.buyAndHoldReturn, { signed: true })],
    [
      'Hindsight return',
      result.hindsight
        ? `${formatPercent(result.hindsight.metrics.returns, { signed: true })} (${result.hindsight.pair.low}/${result.hindsight.pair.high})`
        : '—',
    ],
  ];
  return (
    <div className={styles.result}>
      <dl className={styles.headline} aria-label="Walk-forward headline numbers">
        {headline.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className={styles.caption}>
        Out of sample {result.outOfSample.start} → {result.outOfSample.end} UTC · {m.bars.toLocaleString('en-US')} bars ·{' '}
        {m.trades} trades · {result.steps.length} steps · {source}
      </p>
      <WalkForwardChart chart={result.chart} />
      <WalkForwardSteps steps={result.steps} objective={result.input.objective} onSelect={onSelect} />
    </div>
  );
}
