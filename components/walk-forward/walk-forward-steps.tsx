'use client';
/** The steps of a walk-forward result as a table; a row's button loads that step's test window and pair. */
import { formatPercent, formatRatio } from '@/lib/client/format';
import type { WalkForwardObjective } from '@/lib/schemas';
import type { WalkForwardStepResult } from '@/lib/walk-forward/types';
import styles from './walk-forward-panel.module.css';

const OBJECTIVE_LABEL: Record<WalkForwardObjective, string> = {
  returns: 'Training return',
  sharpeRatio: 'Training Sharpe',
  calmarRatio: 'Training Calmar',
};

const FLAT_TEXT = { 'no-eligible-pair': 'no pair with enough trades', 'no-test-data': 'no data' } as const;

/** Props: the steps, the objective they were chosen by, and the row handler. */
export interface WalkForwardStepsProps {
  steps: readonly WalkForwardStepResult[];
  objective: WalkForwardObjective;
  onSelect: (step: WalkForwardStepResult) => void;
}

/** One row per step: periods, chosen pair, its training objective, the test return. */
export function WalkForwardSteps({ steps, objective, onSelect }: WalkForwardStepsProps) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <caption className={styles.srOnly}>Walk-forward steps</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Training (UTC)</th>
            <th scope="col">Test (UTC)</th>
            <th scope="col">Pair</th>
            <th scope="col">{OBJECTIVE_LABEL[objective]}</th>
            <th scope="col">Test return</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => {
            const value =
              step.objectiveValue === null ? '—' : objective === 'returns' ? formatPercent(step.objectiveValue, { signed: true }) : formatRatio(step.objectiveValue);
            const testReturn = step.testMetrics ? formatPercent(step.testMetrics.returns, { signed: true }) : '—';
            return (
              <tr key={step.index} data-step={step.index}>
                <td>{step.index + 1}</td>
                <td>
                  {step.train.start} → {step.train.end}
                </td>
                <td>
                  {step.test.start} → {step.test.end}
                </td>
                <td>
                  {step.pair ? (
                    <button
                      type="button"
                      className={styles.pairButton}
                      onClick={() => onSelect(step)}
                      aria-label={`Load step ${step.index + 1}: thresholds ${step.pair.low}/${step.pair.high}, ${step.test.start} to ${step.test.end}`}
                    >
                      {step.pair.low}/{step.pair.high}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{value}</td>
                <td>
                  {testReturn}
                  {step.outcome === 'flat' && step.flatReason && <span className={styles.flat}> ({FLAT_TEXT[step.flatReason]})</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
