import {
  AccessRequest,
  analyzeResourcePolicy,
  ApiRecord,
  Caller,
  CallerEndpointIndex,
  DomainRecord,
  grantVpcAccess,
  isCallerAllowed,
  InvalidArgumentError,
  PolicyChange,
  PolicyParseError,
  revokeVpcAccess,
  undoPolicyChange,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import {
  ApiIndexEntry,
  CallerRow,
  indexApi,
  indexDomain,
} from '../inventory/reverseIndex';

/** The caller of a request, as the policy functions name it. */
export function callerOf(
  request: Pick<AccessRequest, 'vpcId' | 'vpcEndpointId'>,
) {
  return {
    vpcId: request.vpcEndpointId ? undefined : request.vpcId,
    vpceId: request.vpcEndpointId,
  };
}

/** What of an access request its policy change depends on. */
export type RequestChangeInput = Pick<
  AccessRequest,
  'kind' | 'vpcId' | 'vpcEndpointId' | 'stages'
>;

/** The change a request makes to a policy: its grant (limited to its stages) or revoke. */
export function requestChange(
  request: RequestChangeInput,
  policy: string | undefined,
  apiArn: string,
): PolicyChange {
  return request.kind === 'revoke'
    ? revokeVpcAccess(policy, callerOf(request), { apiArn })
    : grantVpcAccess(policy, callerOf(request), {
        apiArn,
        stages: request.stages,
      });
}

/** The fields of an API that `isCallerAllowed` reads: what crosses to a thread. */
export type CallerCheckApi = Pick<
  ApiRecord,
  'policy' | 'executeApiArn' | 'region' | 'stages' | 'routes'
>;

/**
 * For each set of stages, whether the caller may call every route of them
 * (`isCallerAllowed`: one decision per route, stage and endpoint of the caller, so up to a
 * few hundred milliseconds on a large policy and a large API).
 */
export function callerAllowedOn(
  api: CallerCheckApi,
  stageSets: string[][],
  caller: Caller,
  endpoints: VpcEndpointRecord[],
): boolean[] {
  return stageSets.map(stages =>
    isCallerAllowed(api as ApiRecord, stages, caller, endpoints),
  );
}

/** The endpoint indexes of the Regions this thread indexed last, by their endpoints' hash. */
const endpointIndexes = new Map<
  string,
  CallerEndpointIndex<VpcEndpointRecord>
>();

/**
 * The reverse-index entry of one API (`indexApi`: its policy's verdict for every endpoint
 * of its Region; seconds on some large policies). The Region's endpoints come as JSON text,
 * parsed and indexed once per thread and Region (keyed by their hash): a string crosses to
 * the thread at the cost of a copy, where thousands of objects would be cloned one by one.
 */
export function indexApiEntry(
  api: ApiRecord,
  endpointsJson: string,
  regionHash: string,
  namedAllowedCount: number | undefined,
  hash: string,
): ApiIndexEntry {
  return indexApi(
    api,
    regionIndex(endpointsJson, regionHash),
    regionHash,
    namedAllowedCount,
    hash,
  );
}

/** The Region's endpoints, parsed and indexed once per thread and Region. */
function regionIndex(endpointsJson: string, regionHash: string) {
  let index = endpointIndexes.get(regionHash);
  if (!index) {
    if (endpointIndexes.size >= 4) endpointIndexes.clear();
    index = new CallerEndpointIndex<VpcEndpointRecord>(
      JSON.parse(endpointsJson),
    );
    endpointIndexes.set(regionHash, index);
  }
  return index;
}

/**
 * The reverse-index rows of a private custom domain (`indexDomain`: one decision per
 * endpoint associated with it). The Region's endpoints come as for `indexApiEntry`.
 */
export function indexDomainEntry(
  domain: DomainRecord,
  endpointsJson: string,
  regionHash: string,
): CallerRow[] {
  return indexDomain(domain, [...regionIndex(endpointsJson, regionHash).all]);
}

/**
 * The policy work that can take long on a large policy (up to about 200 ms on a worst-case
 * 20,000-character one), by name: what the worker threads run. Arguments and results are
 * plain data, as they cross to a worker and back by structured clone.
 */
export const policyFunctions = {
  analyzeResourcePolicy,
  requestChange,
  undoPolicyChange,
  callerAllowedOn,
  indexApiEntry,
  indexDomainEntry,
  /** Answers at once: the pool's start-up check. */
  ping: () => 'pong' as const,
};

export type PolicyFunctions = typeof policyFunctions;
export type PolicyFunctionName = keyof PolicyFunctions;

export interface PolicyTask<N extends PolicyFunctionName = PolicyFunctionName> {
  fn: N;
  args: Parameters<PolicyFunctions[N]>;
}

/** An error thrown by a policy function, as data (a class does not survive the thread). */
export interface PolicyTaskError {
  name: string;
  message: string;
  /** PolicyParseError's path or InvalidArgumentError's argument. */
  where?: string;
  stack?: string;
}

export type PolicyTaskResult<
  N extends PolicyFunctionName = PolicyFunctionName,
> =
  | { ok: true; value: ReturnType<PolicyFunctions[N]> }
  | { ok: false; error: PolicyTaskError };

/** Where in its input an error of the policy functions is (a path or an argument). */
function whereOf(error: Error): string | undefined {
  if (error instanceof PolicyParseError) return error.path;
  if (error instanceof InvalidArgumentError) return error.argument;
  return undefined;
}

/** Runs one task; a thrown error is returned as data, so the caller can throw it again. */
export function runPolicyTask<N extends PolicyFunctionName>(
  task: PolicyTask<N>,
): PolicyTaskResult<N> {
  const fn = policyFunctions[task.fn] as (
    ...args: unknown[]
  ) => ReturnType<PolicyFunctions[N]>;
  if (typeof fn !== 'function') {
    return {
      ok: false,
      error: { name: 'Error', message: `No policy function ${task.fn}` },
    };
  }
  try {
    return { ok: true, value: fn(...(task.args as unknown[])) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return {
      ok: false,
      error: {
        name: e.name,
        message: e.message,
        where: whereOf(e),
        stack: e.stack,
      },
    };
  }
}

/**
 * The error a task threw, rebuilt as the class the policy functions throw, so callers
 * that tell an unreadable policy from a bug (`instanceof PolicyParseError`) still can.
 */
export function rebuildError(error: PolicyTaskError): Error {
  let rebuilt: Error;
  if (error.name === 'PolicyParseError') {
    rebuilt = new PolicyParseError(
      error.where ?? '',
      error.where && error.message.startsWith(`${error.where}: `)
        ? error.message.slice(error.where.length + 2)
        : error.message,
    );
  } else if (error.name === 'InvalidArgumentError' && error.where) {
    rebuilt = new InvalidArgumentError(
      error.where,
      error.message.startsWith(`${error.where}: `)
        ? error.message.slice(error.where.length + 2)
        : error.message,
    );
  } else {
    rebuilt = new Error(error.message);
    rebuilt.name = error.name;
  }
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
