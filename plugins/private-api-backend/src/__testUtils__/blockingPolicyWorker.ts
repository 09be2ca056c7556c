/*
 * A policy worker for the pool's scheduling tests: the real one, plus `block`, a job that
 * says it started and then waits until the test lets it go. Its arguments are a
 * SharedArrayBuffer of two Int32 cells: [0] the thread sets to 1 when the job starts,
 * [1] the test sets to 1 (and notifies) to let it end. No timing involved.
 */
import { PolicyTask, runPolicyTask } from '../policyWork/functions';

export default function blockingPolicyWorker(
  task: PolicyTask | { fn: 'block'; args: [SharedArrayBuffer] },
) {
  if (task.fn !== 'block') return runPolicyTask(task as PolicyTask);
  const cells = new Int32Array(task.args[0] as SharedArrayBuffer);
  Atomics.store(cells, 0, 1);
  Atomics.notify(cells, 0);
  while (Atomics.load(cells, 1) === 0) Atomics.wait(cells, 1, 0, 1_000);
  return { ok: true, value: 'released' };
}
