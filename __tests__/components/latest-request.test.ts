import { describe, expect, it } from 'vitest';
import { createLatestGate } from '@/lib/client/latest-request';

describe('latest-request gate', () => {
  it('applies responses that arrive in order', () => {
    const gate = createLatestGate();
    const a = gate.issue();
    const b = gate.issue();
    expect(gate.accept(a)).toBe(true);
    expect(gate.accept(b)).toBe(true);
  });

  it('drops a response older than the newest applied one', () => {
    const gate = createLatestGate();
    const a = gate.issue();
    const b = gate.issue();
    expect(gate.accept(b)).toBe(true);
    expect(gate.accept(a)).toBe(false);
  });

});
