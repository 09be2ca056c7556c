import { Config } from '@backstage/config';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { z } from 'zod';
import {
  ApiType,
  ApplyMode,
  AWS_ID_PATTERNS,
  DEFAULT_PRICE_BOOK,
  PriceBook,
  PriceTable,
  withPriceOverrides,
} from '@private-api-catalog/plugin-private-api-common';
import { DEFAULT_QUOTAS, QuotaSettings } from '../aws/quota';
import {
  DEFAULT_POLICY_QUEUE,
  DEFAULT_POLICY_THREADS,
  PolicyWorkerSettings,
} from '../policyWork/PolicyWork';

const regionSchema = z
  .string()
  .regex(
    AWS_ID_PATTERNS.region,
    'expected an AWS Region code such as us-east-1',
  );

const accountIdSchema = z
  .string()
  .regex(
    AWS_ID_PATTERNS.accountId,
    'expected a 12-digit AWS account id (quote it in YAML)',
  );

const endpointSchema = z
  .string()
  .url('expected a URL such as http://127.0.0.1:4566');

const regexSchema = z.string().refine(
  value => {
    try {
      RegExp(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a valid regular expression' },
);

const schema = z
  .object({
    accounts: z
      .array(
        z
          .object({
            accountId: accountIdSchema,
            name: z.string().min(1).optional(),
            regions: z.array(regionSchema).min(1).optional(),
          })
          .strict(),
      )
      .default([]),
    useAwsIntegrationAccounts: z.boolean().default(false),
    organizations: z
      .object({
        accountId: accountIdSchema,
        include: z.array(regexSchema).default([]),
        exclude: z.array(regexSchema).default([]),
      })
      .strict()
      .optional(),
    regions: z.array(regionSchema).min(1).default(['us-east-1']),
    apiTypes: z
      .array(z.enum(['REST', 'HTTP', 'WEBSOCKET']))
      .min(1)
      .default(['REST', 'HTTP', 'WEBSOCKET']),
    tagKeys: z
      .object({
        owner: z.string().min(1).default('owner'),
        system: z.string().min(1).default('system'),
        lifecycle: z.string().min(1).default('lifecycle'),
      })
      .strict()
      .prefault({}),
    defaults: z
      .object({
        owner: z.string().min(1).optional(),
        system: z.string().min(1).optional(),
        lifecycle: z.string().min(1).default('production'),
      })
      .strict()
      .prefault({}),
    exportDefinitions: z.boolean().default(true),
    traffic: z
      .object({
        enabled: z.boolean().default(true),
        days: z.number().int().min(1).max(455).default(30),
      })
      .strict()
      .prefault({}),
    fullCrawlIntervalHours: z.number().positive().default(24),
    endpoints: z
      .object({
        default: endpointSchema.optional(),
        apigateway: endpointSchema.optional(),
        ec2: endpointSchema.optional(),
        elasticloadbalancing: endpointSchema.optional(),
        monitoring: endpointSchema.optional(),
        sts: endpointSchema.optional(),
        organizations: endpointSchema.optional(),
        cloudtrail: endpointSchema.optional(),
        sqs: endpointSchema.optional(),
      })
      .strict()
      .prefault({}),
    changeFeed: z
      .object({
        enabled: z.boolean().default(true),
        /** Seconds between CloudTrail LookupEvents polls of one account and Region. */
        pollIntervalSeconds: z.number().int().min(10).default(60),
        /** Per Region: the SQS queue an EventBridge rule sends API Gateway and EC2 calls to. */
        sqsQueueUrl: z.record(regionSchema, z.string().url()).default({}),
      })
      .strict()
      .prefault({}),
    quotas: z
      .object({
        enabled: z.boolean().default(true),
        requestsPerSecond: z
          .number()
          .positive()
          .default(DEFAULT_QUOTAS.requestsPerSecond),
        burst: z.number().int().positive().default(DEFAULT_QUOTAS.burst),
        getResourcesPerSecond: z
          .number()
          .positive()
          .default(DEFAULT_QUOTAS.getResourcesPerSecond),
        getResourcesBurst: z
          .number()
          .int()
          .positive()
          .default(DEFAULT_QUOTAS.getResourcesBurst),
        createDeploymentIntervalSeconds: z
          .number()
          .positive()
          .default(DEFAULT_QUOTAS.createDeploymentIntervalSeconds),
      })
      .strict()
      .prefault({}),
    concurrency: z
      .object({
        accounts: z.number().int().positive().default(10),
        apisPerAccount: z.number().int().positive().default(8),
      })
      .strict()
      .prefault({}),
    maxAttempts: z.number().int().min(1).max(10).default(3),
    requestTimeoutMs: z.number().int().positive().default(10_000),
    admins: z.array(z.string().min(1)).default([]),
    accessRequests: z
      .object({
        mode: z.enum(['direct', 'handoff']).default('handoff'),
        accounts: z
          .array(
            z
              .object({
                accountId: accountIdSchema,
                mode: z.enum(['direct', 'handoff']),
              })
              .strict(),
          )
          .default([]),
        applyRoleName: z.string().min(1).optional(),
        allowSelfApproval: z.boolean().default(false),
        maxOpenPerUser: z.number().int().min(1).max(10_000).default(20),
        leaseSeconds: z.number().int().min(5).max(3_600).default(60),
      })
      .strict()
      .prefault({}),
    policyWorkers: z
      .object({
        threads: z
          .number()
          .int()
          .min(0)
          .max(64)
          .default(DEFAULT_POLICY_THREADS),
        maxQueue: z.number().int().min(1).default(DEFAULT_POLICY_QUEUE),
        discoveryThreads: z.number().int().min(1).max(64).optional(),
      })
      .strict()
      .refine(
        w =>
          w.discoveryThreads === undefined || w.discoveryThreads <= w.threads,
        {
          message:
            "discoveryThreads must not exceed threads: it is how many of the pool's threads discovery may hold at once (default threads - 1, so one is kept for users)",
          path: ['discoveryThreads'],
        },
      )
      .prefault({}),
    priceTables: z
      .record(regionSchema, z.record(z.string(), z.unknown()))
      .prefault({}),
    shards: z.number().int().min(1).max(256).default(4),
    maxShardsPerReplica: z.number().int().min(1).optional(),
    // Backstage scheduler task definitions, read by readSchedulerServiceTaskScheduleDefinitionFromConfig.
    schedule: z.unknown().optional(),
    catalog: z.object({ schedule: z.unknown().optional() }).strict().optional(),
  })
  .strict();

/** One account discovery reads, with the Regions to read in it. */
export interface ConfiguredAccount {
  accountId: string;
  name?: string;
  /** Overrides `privateApi.regions` for this account. */
  regions?: string[];
}

/** The validated `privateApi` configuration. */
export interface PrivateApiConfig {
  accounts: ConfiguredAccount[];
  useAwsIntegrationAccounts: boolean;
  organizations?: {
    accountId: string;
    include: RegExp[];
    exclude: RegExp[];
  };
  regions: string[];
  apiTypes: ApiType[];
  tagKeys: { owner: string; system: string; lifecycle: string };
  defaults: { owner?: string; system?: string; lifecycle: string };
  exportDefinitions: boolean;
  traffic: { enabled: boolean; days: number };
  fullCrawlIntervalHours: number;
  endpoints: Partial<Record<AwsServiceName | 'default', string>>;
  changeFeed: {
    enabled: boolean;
    pollIntervalSeconds: number;
    /** Region → queue URL. */
    sqsQueueUrl: Record<string, string>;
  };
  quotas: QuotaSettings & { enabled: boolean };
  concurrency: { accounts: number; apisPerAccount: number };
  maxAttempts: number;
  requestTimeoutMs: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Discovery runs as this many scheduler tasks, each crawling the accounts hashed to it. */
  shards: number;
  /** Shard tasks one replica runs at once; a busy replica leaves the others to its peers. */
  maxShardsPerReplica: number;
  accessRequests: {
    /** Apply mode for accounts not listed in `accounts`. */
    mode: ApplyMode;
    accounts: Array<{ accountId: string; mode: ApplyMode }>;
    /** A role to assume (from the account's credentials) for applying changes. */
    applyRoleName?: string;
    /** Whether an owner of the API may approve their own request. Default false. */
    allowSelfApproval: boolean;
    /** Open requests one user may have at once; more answer 429. Default 20. */
    maxOpenPerUser: number;
    /** An apply's lease (and per-API lock) without a heartbeat for this long is recovered. Default 60. */
    leaseSeconds: number;
  };
  /** The worker threads policy analysis and access changes run on. */
  policyWorkers: PolicyWorkerSettings;
  /** The embedded price tables with `privateApi.priceTables` applied over them. */
  prices: PriceBook;
}

/** The AWS services discovery calls, named as in their SigV4 signing scope. */
export type AwsServiceName =
  | 'apigateway'
  | 'ec2'
  | 'elasticloadbalancing'
  | 'monitoring'
  | 'sts'
  | 'organizations'
  | 'cloudtrail'
  | 'sqs';

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 25 },
  initialDelay: { seconds: 10 },
  scope: 'global',
};

/**
 * Reads a scheduler task definition at `key`, or the default. Tasks are global unless the
 * config says otherwise: with several backend replicas, one runs each cycle.
 */
export function readSchedule(
  config: Config,
  key: string,
  defaultSchedule: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  const section = config.getOptionalConfig(key);
  if (!section) return defaultSchedule;
  const schedule =
    readSchedulerServiceTaskScheduleDefinitionFromConfig(section);
  return { ...schedule, scope: schedule.scope ?? 'global' };
}

/** Thrown at start-up for invalid configuration; the message names every bad key. */
export class PrivateApiConfigError extends Error {
  name = 'PrivateApiConfigError';
}

function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${String(part)}`,
    'privateApi',
  );
}

/**
 * Reads and validates `privateApi` from the app config. Invalid values fail start-up with
 * one line per problem, each naming the key (`privateApi.accounts[1].accountId: ...`).
 */
export function readPrivateApiConfig(config: Config): PrivateApiConfig {
  const section = config.getOptionalConfig('privateApi');
  const parsed = schema.safeParse(section?.get() ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      issue => `${formatIssuePath(issue.path)}: ${issue.message}`,
    );
    throw new PrivateApiConfigError(
      `Invalid private API catalogue configuration:\n  ${lines.join('\n  ')}`,
    );
  }
  const value = parsed.data;

  const hasAccountSource =
    value.accounts.length > 0 ||
    value.useAwsIntegrationAccounts ||
    value.organizations !== undefined;
  if (section && !hasAccountSource) {
    throw new PrivateApiConfigError(
      'Invalid private API catalogue configuration:\n  privateApi: no accounts to discover; set privateApi.accounts, privateApi.useAwsIntegrationAccounts: true, or privateApi.organizations',
    );
  }

  const schedule = readSchedule(
    config,
    'privateApi.schedule',
    DEFAULT_SCHEDULE,
  );

  return {
    accounts: value.accounts,
    useAwsIntegrationAccounts: value.useAwsIntegrationAccounts,
    organizations: value.organizations && {
      accountId: value.organizations.accountId,
      include: value.organizations.include.map(r => new RegExp(r)),
      exclude: value.organizations.exclude.map(r => new RegExp(r)),
    },
    regions: value.regions,
    apiTypes: value.apiTypes,
    tagKeys: value.tagKeys,
    defaults: value.defaults,
    exportDefinitions: value.exportDefinitions,
    traffic: value.traffic,
    fullCrawlIntervalHours: value.fullCrawlIntervalHours,
    endpoints: value.endpoints,
    changeFeed: value.changeFeed,
    quotas: value.quotas,
    concurrency: value.concurrency,
    maxAttempts: value.maxAttempts,
    requestTimeoutMs: value.requestTimeoutMs,
    schedule,
    shards: value.shards,
    maxShardsPerReplica: value.maxShardsPerReplica ?? value.shards,
    accessRequests: value.accessRequests,
    policyWorkers: value.policyWorkers,
    prices: withPriceOverrides(
      DEFAULT_PRICE_BOOK,
      value.priceTables as Record<string, Partial<PriceTable>>,
    ),
  };
}

/** True when `privateApi` is configured at all (the plugin idles without it). */
export function isDiscoveryConfigured(config: Config): boolean {
  return config.has('privateApi');
}

/** How approved access requests for an account reach AWS. */
export function applyModeFor(
  config: PrivateApiConfig,
  accountId: string,
): ApplyMode {
  return (
    config.accessRequests.accounts.find(a => a.accountId === accountId)?.mode ??
    config.accessRequests.mode
  );
}
