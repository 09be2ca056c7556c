import { dirname, resolve } from 'node:path';
import { buildEstateFromObject, loadEstateFile } from './estate/load';
import type { Estate } from './estate/model';
import type { EstateInput, FaultInput, QuotasInput } from './estate/schema';
import { resolveQuotas } from './quota';
import { SimulatorServer } from './server';
import { ChangeFeed, ChangeFeedOptions } from './changeFeed';
import type { ApiChange } from './estate/mutate';
import type { SimulatorStats } from './stats';

/**
 * An AWS-compatible endpoint that simulates an API Gateway estate for the real AWS SDK v3
 * clients: API Gateway v1/v2, EC2, ELBv2, STS, CloudWatch and Organizations.
 *
 * @packageDocumentation
 */

export interface StartOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback by default; the simulator has no authentication. */
  host?: string;
  /** An estate object (validated like a file). */
  estate?: EstateInput;
  /** An estate YAML file; default: estates/demo.yaml of this package. */
  estateFile?: string;
  /** Overrides on top of the defaults and the estate's; `false` turns quotas off. */
  quotas?: QuotasInput;
  /** Added to every answer (default: the estate's latencyMs, else 0). */
  latencyMs?: number;
  /** Replace the estate's faults. */
  faults?: FaultInput[];
  /** Request log entries kept (default 1000). */
  logLimit?: number;
  /** CloudTrail delivery delays, dropped events, and the SQS queues EventBridge feeds. */
  changeFeed?: ChangeFeedOptions;
}

export interface Simulator {
  /** http://127.0.0.1:{port}: the endpoint to give every AWS client. */
  url: string;
  port: number;
  /** The live state (writes change it); for assertions in tests. */
  estate: Estate;
  stop(): Promise<void>;
  stats(): SimulatorStats;
  /** Clears counters and the request log, and refills the quota buckets. */
  resetStats(): void;
  /** Replaces the active faults; throws a ZodError naming what is wrong. */
  setFaults(faults: FaultInput[]): void;
  /** CloudTrail event history and the SQS queues (see `POST /_simulator/changes`). */
  changeFeed: ChangeFeed;
  /** Adds a route to each API and deploys it, recording the owner's calls in CloudTrail. */
  changeApis(changes: ApiChange[]): void;
}

/** The package's own demo estate, found through the package (works from src and installs alike). */
export const DEMO_ESTATE_FILE = resolve(
  dirname(require.resolve('@private-api-catalog/aws-simulator/package.json')),
  'estates/demo.yaml',
);

/** @throws EstateValidationError when the estate is invalid */
export async function start(options: StartOptions = {}): Promise<Simulator> {
  const estate = options.estate
    ? buildEstateFromObject(options.estate)
    : loadEstateFile(options.estateFile ?? DEMO_ESTATE_FILE);
  const server = new SimulatorServer({
    estate,
    quotas: resolveQuotas(estate.quotas, options.quotas),
    latencyMs: options.latencyMs ?? estate.latencyMs ?? 0,
    logLimit: options.logLimit,
    changeFeed: options.changeFeed,
  });
  if (options.faults) server.faults.set(options.faults);
  const host = options.host ?? '127.0.0.1';
  const port = await server.listen(options.port ?? 0, host);
  return {
    url: `http://${host}:${port}`,
    port,
    estate,
    stop: () => server.close(),
    stats: () => server.stats.snapshot(),
    resetStats: () => {
      server.stats.reset();
      server.quotas.reset();
    },
    setFaults: faults => server.faults.set(faults),
    changeFeed: server.changeFeed,
    changeApis: changes => {
      server.applyChanges(changes);
    },
  };
}

export {
  buildEstateFromObject,
  loadEstateFile,
  parseEstate,
} from './estate/load';
export { EstateValidationError } from './estate/buildContext';
export { generateEstate, parseGenerateSpec } from './estate/generate';
export type { GenerateOptions } from './estate/generate';
export type {
  EstateInput,
  Fault,
  FaultInput,
  QuotasInput,
} from './estate/schema';
export type { Estate } from './estate/model';
export type { SimulatorStats, RequestLogEntry } from './stats';
export { DEFAULT_QUOTAS } from './quota';
export type { ChangeFeedOptions, CloudTrailEvent } from './changeFeed';
export { ChangeFeed } from './changeFeed';
export type { ApiChange } from './estate/mutate';
export type { QuotaConfig, Bucket } from './quota';
