import { describe, expect, it, vi } from 'vitest';
import { MaintenanceQueue } from '@/lib/cache/concurrency';

describe('MaintenanceQueue', () => {
  it('runs tasks one at a time in order, and drain waits for all of them', async () => {
    const queue = new MaintenanceQueue();
    const order: string[] = [];
    const task = (name: string, ms: number) => async () => {
      order.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`end ${name}`);
    };
    queue.enqueue(task('a', 20));
    queue.enqueue(task('b', 1));
    await queue.drain();
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('keeps running later tasks after one fails, without an unhandled rejection', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const queue = new MaintenanceQueue();
    let ran = false;
    queue.enqueue(async () => {
      throw new Error('disk full');
    });
    queue.enqueue(async () => {
      ran = true;
    });
    await queue.drain();
    expect(ran).toBe(true);
    expect(logged).toHaveBeenCalledWith('[CACHE ERROR] Cache maintenance task failed:', expect.any(Error));
    logged.mockRestore();
  });
});
