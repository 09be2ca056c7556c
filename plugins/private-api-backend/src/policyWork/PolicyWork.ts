import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { Piscina, PiscinaTask, queueOptionsSymbol, TaskQueue } from 'piscina';
import {
  PolicyFunctionName,
  policyFunctions,
  PolicyFunctions,
  PolicyTask,
  PolicyTaskResult,
  rebuildError,
} from './functions';

/** `privateApi.policyWorkers`: the threads the policy work runs on. */
export interface PolicyWorkerSettings {
  /** Worker threads; 0 runs the policy work on the event loop (inline). */
  threads: number;
  /** Jobs that may wait for a thread; one more is refused with 503. */
  maxQueue: number;
  /**
   * Threads discovery's jobs may hold at once (running or waiting for a thread); default
   * `threads - 1`, at least 1: the other threads are kept for users' jobs.
   */
  discoveryThreads?: number;
}

/**
 * One thread fewer than the machine's cores (the event loop keeps one), and at least two:
 * one for discovery's jobs, one kept free for users' (see `discoveryThreadsOf`).
 */
export const DEFAULT_POLICY_THREADS = Math.max(2, availableParallelism() - 1);
export const DEFAULT_POLICY_QUEUE = 100;

/**
 * How many of discovery's jobs may be in the pool at once. A user's job never waits for
 * one of discovery's to end while fewer than `threads` of them hold threads: with the
 * default, `threads - 1`, there is always a thread that only users' jobs can take. With one
 * thread, discovery gets it too: then a user's job waits for at most the one running.
 */
export function discoveryThreadsOf(settings: PolicyWorkerSettings): number {
  return Math.max(
    1,
    Math.min(
      settings.threads,
      settings.discoveryThreads ?? settings.threads - 1,
    ),
  );
}

/** How long the first job may take to answer before the pool is given up (dev transforms). */
const START_TIMEOUT_MS = 60_000;

/**
 * Runs the policy functions that can take long on a large policy: analysis, a request's
 * grant or revoke, the undo of an applied change. Through a pool of worker threads, so that
 * one user's preview of a 20,000-character policy does not stall everyone else's requests
 * (the event loop serves them all); or inline, when the pool is off or cannot start.
 */
export interface PolicyWork {
  run<N extends PolicyFunctionName>(
    fn: N,
    ...args: Parameters<PolicyFunctions[N]>
  ): Promise<ReturnType<PolicyFunctions[N]>>;
  /** Where the work runs: 'threads' once the pool answered, else 'inline'. */
  mode(): Promise<'threads' | 'inline'>;
  /** Lets the running jobs finish and stops the threads; later jobs run inline. */
  close(): Promise<void>;
  /**
   * The same work for discovery: its jobs wait behind users' (a preview queued after a
   * crawl's analyses runs before them), in the order they came, and hold at most
   * `discoveryThreads` threads at once, so a user's job does not wait for them to end.
   */
  background(): PolicyWork;
}

/** The queue option of a background job. */
interface LaneOptions {
  background?: boolean;
}

/** Users' jobs first, then discovery's; first come, first served in each. */
class TwoLaneQueue implements TaskQueue {
  private readonly users: PiscinaTask[] = [];
  private readonly discovery: PiscinaTask[] = [];

  get size() {
    return this.users.length + this.discovery.length;
  }

  private laneOf(task: PiscinaTask) {
    const options = task[queueOptionsSymbol] as LaneOptions | null;
    return options?.background ? this.discovery : this.users;
  }

  push(task: PiscinaTask) {
    this.laneOf(task).push(task);
  }

  unshift(task: PiscinaTask) {
    this.laneOf(task).unshift(task);
  }

  shift(): PiscinaTask | null {
    return this.users.shift() ?? this.discovery.shift() ?? null;
  }

  remove(task: PiscinaTask) {
    const lane = this.laneOf(task);
    const i = lane.indexOf(task);
    if (i >= 0) lane.splice(i, 1);
  }
}

/** The policy work on the event loop: for tests, tools and `threads: 0`. */
export const inlinePolicyWork: PolicyWork = {
  async run(fn, ...args) {
    const f = policyFunctions[fn] as (...a: unknown[]) => any;
    return f(...args);
  },
  async mode() {
    return 'inline';
  },
  async close() {},
  background() {
    return inlinePolicyWork;
  },
};

/**
 * The file the threads load: the `./policyWorker` export of this package, which is the
 * TypeScript source in the repository (dev backend, jest) and compiled JavaScript in a
 * built package (`publishConfig` points the export at `dist/`).
 */
export function policyWorkerFile(): string {
  return require.resolve(
    '@private-api-catalog/plugin-private-api-backend/policyWorker',
  );
}

/**
 * The Node options of the threads. A thread inherits the parent's options, so under
 * `backstage-cli package start` it already has the TypeScript transform
 * (`--require .../nodeTransform.cjs`); jest and other hosts transform only their own
 * modules, so a TypeScript worker file gets the same transform the CLI uses. Built
 * JavaScript needs nothing.
 */
export function workerExecArgv(file: string): string[] | undefined {
  if (!/\.[cm]?ts$/.test(file)) return undefined;
  if (process.execArgv.some(arg => arg.includes('nodeTransform'))) {
    return undefined;
  }
  return [
    ...process.execArgv,
    '--require',
    require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
  ];
}

class PolicyWorkerPool implements PolicyWork {
  /** The pool once its first job answered; undefined when it could not start or closed. */
  private ready: Promise<Piscina | undefined>;

  private destroyed = false;

  /** Discovery's jobs in the pool (running or queued there) are at most `discoveryThreads`. */
  private readonly discoveryLane: ReturnType<typeof pLimit>;

  constructor(
    private readonly pool: Piscina,
    private readonly settings: PolicyWorkerSettings,
    logger: LoggerService,
  ) {
    this.discoveryLane = pLimit(discoveryThreadsOf(settings));
    this.ready = pool
      .run({ fn: 'ping', args: [] } satisfies PolicyTask<'ping'>, {
        signal: AbortSignal.timeout(START_TIMEOUT_MS),
      })
      .then(
        (answer: PolicyTaskResult<'ping'>) => {
          if (!answer.ok || answer.value !== 'pong') {
            throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
          }
          logger.info(
            `Policy work runs on ${
              settings.threads
            } worker thread(s), discovery's on at most ${discoveryThreadsOf(
              settings,
            )} of them at once (privateApi.policyWorkers)`,
          );
          return pool;
        },
        async error => {
          logger.warn(
            `The policy worker threads could not start, so policy analysis and access changes run on the event loop, where a large policy delays other requests: ${describe(
              error,
            )}. Set privateApi.policyWorkers.threads to 0 to run inline without this warning.`,
          );
          await pool.destroy().catch(() => {});
          return undefined;
        },
      );
  }

  run<N extends PolicyFunctionName>(
    fn: N,
    ...args: Parameters<PolicyFunctions[N]>
  ): Promise<ReturnType<PolicyFunctions[N]>> {
    return this.runIn(false, fn, args);
  }

  background(): PolicyWork {
    return {
      run: (fn, ...args) =>
        this.discoveryLane(() => this.runIn(true, fn, args)),
      mode: () => this.mode(),
      close: () => this.close(),
      background: () => this.background(),
    };
  }

  private async runIn<N extends PolicyFunctionName>(
    background: boolean,
    fn: N,
    args: Parameters<PolicyFunctions[N]>,
  ): Promise<ReturnType<PolicyFunctions[N]>> {
    const pool = await this.ready;
    if (!pool) return inlinePolicyWork.run(fn, ...args);
    // The lane travels as a symbol-keyed property: the queue reads it, the clone drops it.
    const task: PolicyTask<N> & { [queueOptionsSymbol]: LaneOptions } = {
      fn,
      args,
      [queueOptionsSymbol]: { background },
    };
    let answer: PolicyTaskResult<N>;
    try {
      answer = await pool.run(task);
    } catch (error) {
      if (describe(error) === 'Task queue is at limit') {
        throw new ServiceUnavailableError(
          `The policy workers are busy: ${this.settings.maxQueue} policy jobs are already waiting (privateApi.policyWorkers.maxQueue). Try again in a moment.`,
        );
      }
      throw new Error(
        `The policy worker thread failed while running ${fn}: ${describe(
          error,
        )}. Nothing was changed by this job; try again, and if it fails again report the policy that causes it.`,
      );
    }
    if (!answer.ok) throw rebuildError(answer.error);
    return answer.value;
  }

  async mode() {
    return (await this.ready) ? ('threads' as const) : ('inline' as const);
  }

  async close() {
    const pool = await this.ready;
    this.ready = Promise.resolve(undefined);
    await pool?.close();
    // The pool is an async resource: tell async hooks (jest's open-handle check) it is gone.
    if (!this.destroyed) {
      this.destroyed = true;
      this.pool.emitDestroy();
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The policy work of the backend: a pool of `settings.threads` worker threads (piscina),
 * or inline when `threads` is 0 or the pool cannot start (with a warning saying so).
 * Close it on shutdown.
 */
export function createPolicyWork(
  settings: PolicyWorkerSettings,
  logger: LoggerService,
  options: { workerFile?: string } = {},
): PolicyWork {
  if (settings.threads === 0) {
    logger.info(
      'Policy work runs on the event loop (privateApi.policyWorkers.threads is 0)',
    );
    return inlinePolicyWork;
  }
  try {
    const filename = options.workerFile ?? policyWorkerFile();
    const pool = new Piscina({
      filename,
      execArgv: workerExecArgv(filename),
      minThreads: settings.threads,
      maxThreads: settings.threads,
      maxQueue: settings.maxQueue,
      taskQueue: new TwoLaneQueue(),
      // A job taken from the queue but not placed goes back to the front, not the tail.
      stricterFIFO: true,
      // Warm threads: a thread's start (loading the policy code) would delay the job.
      idleTimeout: Infinity,
    });
    // An uncaught error of an idle thread: piscina replaces the thread.
    pool.on('error', error =>
      logger.error(`A policy worker thread failed: ${describe(error)}`),
    );
    return new PolicyWorkerPool(pool, settings, logger);
  } catch (error) {
    logger.warn(
      `The policy worker threads could not start, so policy analysis and access changes run on the event loop, where a large policy delays other requests: ${describe(
        error,
      )}`,
    );
    return inlinePolicyWork;
  }
}
