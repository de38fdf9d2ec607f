/**
 * runWalkForward's queue: the searches (each step's, then the hindsight search cut into parts
 * over the lows) run `concurrency` at a time, finish in any order, and give exactly the result
 * of one search at a time over whole grids; progress counts finished steps in order of phases.
 */
import { describe, expect, it } from 'vitest';
import { chooseStepPair } from '@/lib/walk-forward/choose';
import { evaluateWalkForward } from '@/lib/walk-forward/evaluate';
import { planWalkForward } from '@/lib/walk-forward/plan';
import { runWalkForward, type StepRunner, type WalkForwardProgress } from '@/lib/walk-forward/run';
import type { ChoiceTask } from '@/lib/walk-forward/types';
import { syntheticInput } from './input';
import { regimeSeries } from './regimes';

const series = regimeSeries(['contrarian', 'contrarian', 'rising', 'rising', 'falling', 'falling', 'contrarian', 'contrarian', 'rising', 'falling']);

/** A runner that records its tasks and answers after a delay that varies per task, so they finish out of order. */
function recordingRunner() {
  const tasks: ChoiceTask[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const runStep: StepRunner = async (s, input, task) => {
    tasks.push(task);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, ((tasks.length * 7) % 5) * 2));
    inFlight--;
    return structuredClone(chooseStepPair(s, input, task));
  };
  return { runStep, tasks, maxInFlight: () => maxInFlight };
}

describe('the walk-forward queue', () => {
  for (const anchored of [false, true]) {
    it(`gives the result of whole-grid searches one at a time, with two in flight (${anchored ? 'anchored' : 'rolling'})`, async () => {
      const input = syntheticInput({ anchored, objective: 'sharpeRatio' });
      const plan = planWalkForward(series, input);
      const expected = evaluateWalkForward(
        series,
        input,
        plan,
        plan.steps.map((step) => chooseStepPair(series, input, { train: step.train })),
        chooseStepPair(series, input, { train: plan.range }),
      );
      const runner = recordingRunner();
      const result = await runWalkForward(series, input, { runStep: runner.runStep, concurrency: 2 });
      expect(result).toEqual(expected);
      expect(runner.maxInFlight()).toBe(2);
      // Steps first, one task each (rolling) or cut by the first window's days (anchored); then the hindsight in parts.
      const hindsightParts = runner.tasks.filter((t) => t.train.start === plan.range.start && t.train.end === plan.range.end);
      expect(hindsightParts.length).toBe(Math.ceil(10 / 2));
      expect(hindsightParts.map((t) => t.lows)).toEqual(expect.arrayContaining([expect.objectContaining({ first: 1 }), expect.objectContaining({ last: 99 })]));
      if (!anchored) expect(runner.tasks.slice(0, plan.steps.length).every((t) => t.lows === undefined)).toBe(true);
    });
  }

  it('reports finished steps in order of phases, then the hindsight phase, then done', async () => {
    const input = syntheticInput();
    const reports: WalkForwardProgress[] = [];
    const runner = recordingRunner();
    await runWalkForward(series, input, { runStep: runner.runStep, concurrency: 2, onProgress: (p) => reports.push(p) });
    const steps = planWalkForward(series, input).steps.length;
    const phases = reports.map((p) => p.phase);
    expect(phases[0]).toBe('training');
    expect(phases.at(-1)).toBe('done');
    expect(phases.lastIndexOf('training')).toBeLessThan(phases.indexOf('hindsight'));
    // The last step's completion is reported while still training, as every step's is.
    expect(reports[phases.lastIndexOf('training')]).toMatchObject({ done: steps, current: null });
    for (let k = 1; k < reports.length; k++) {
      expect(reports[k].done).toBeGreaterThanOrEqual(reports[k - 1].done);
      expect(reports[k].workDone).toBeGreaterThanOrEqual(reports[k - 1].workDone);
    }
    expect(reports.at(-1)).toMatchObject({ done: steps, total: steps, current: null });
    expect(reports.at(-1)!.workDone).toBe(reports.at(-1)!.workTotal);
    // Work = steps × 2 training days + 10 days of hindsight.
    expect(reports[0].workTotal).toBe(steps * 2 + 10);
  });
});
