/**
 * Per-entry serialisation within one process: read-modify-write work on one stored entry (tier +
 * key) runs one task at a time, in call order, so a hit-count update never interleaves with a
 * replacement or a removal of the same entry. Other entries are not held up.
 */
import type { CacheTier } from './entry';

/** The queue of work on each stored entry that has some pending. */
export class EntryLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` after every task queued earlier for the same entry has settled; its result or error passes through. */
  async run<T>(tier: CacheTier, key: string, work: () => Promise<T>): Promise<T> {
    const id = `${tier}/${key}`;
    const previous = this.tails.get(id) ?? Promise.resolve();
    const result = previous.then(work);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(id, done);
    try {
      return await result;
    } finally {
      if (this.tails.get(id) === done) this.tails.delete(id);
    }
  }
}
