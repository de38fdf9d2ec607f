/**
 * The piscina worker: runs one registered task (tasks.ts) per message. Bundled with esbuild into
 * one ESM file before the pool starts (worker-bundle.ts), so it runs the same under `next start`,
 * vitest and tsx. Errors travel back as `{ error: { name, message } }` so the main thread can
 * rebuild the ones with an HTTP meaning (NoDataInRangeError → 422).
 */
import { TASKS, type TaskKind } from './tasks';

/** One message of the pool protocol. */
export interface TaskMessage {
  kind: TaskKind;
  input: unknown;
}

/** What a worker answers: the task's output, or the error it threw. */
export type TaskReply = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

export default function runTask({ kind, input }: TaskMessage): TaskReply {
  const task = TASKS[kind] as ((input: unknown) => unknown) | undefined;
  if (!task) return { ok: false, error: { name: 'Error', message: `unknown pool task kind ${JSON.stringify(kind)}` } };
  try {
    return { ok: true, value: task(input) };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    return { ok: false, error: { name, message } };
  }
}
