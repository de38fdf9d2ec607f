import { describe, expect, it } from 'vitest';
import { WALK_FORWARD_MIN_POLL_MS, walkForwardPollInterval } from '@/lib/client/use-walk-forward';

describe('the page’s poll interval of a walk-forward job', () => {
  it('stops once the job is not running', () => {
    expect(walkForwardPollInterval({ status: 'done', etaMs: 0 }, 1_000)).toBe(0);
    expect(walkForwardPollInterval({ status: 'error', etaMs: null }, 1_000)).toBe(0);
  });

  it('polls at the full interval while the ETA is unknown or far', () => {
    expect(walkForwardPollInterval(undefined, 1_000)).toBe(1_000);
    expect(walkForwardPollInterval({ status: 'running', etaMs: null }, 1_000)).toBe(1_000);
    expect(walkForwardPollInterval({ status: 'running', etaMs: 7_400 }, 1_000)).toBe(1_000);
  });

  it('polls at the ETA when it is nearer, never sooner than the minimum', () => {
    expect(walkForwardPollInterval({ status: 'running', etaMs: 350 }, 1_000)).toBe(350);
    expect(walkForwardPollInterval({ status: 'running', etaMs: 0 }, 1_000)).toBe(WALK_FORWARD_MIN_POLL_MS);
    // A shorter maximum (tests) wins over the minimum.
    expect(walkForwardPollInterval({ status: 'running', etaMs: 0 }, 20)).toBe(20);
  });
});
