/**
 * Sequence gate for live requests: every request gets an increasing number, and a response is
 * applied only when it is newer than the newest one applied so far, so a slow, older response
 * never overwrites a newer result on screen.
 */

/** Issues sequence numbers and decides which responses may still be applied. */
export interface LatestGate {
  /** Tags a new request; returns its sequence number (1, 2, 3, …). */
  issue(): number;
  /**
   * True when the response of request `seq` is newer than every response applied so far; the
   * gate then records it as the newest applied. False for older responses (drop them).
   */
  accept(seq: number): boolean;
}

/** A new gate with nothing issued or applied. */
export function createLatestGate(): LatestGate {
  let issued = 0;
  let applied = 0;
  return {
    issue: () => ++issued,
    accept(seq) {
      if (seq <= applied) return false;
      applied = seq;
      return true;
    },
  };
}
