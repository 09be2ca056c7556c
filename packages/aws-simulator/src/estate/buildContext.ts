import { ids } from '../ids';
import type { RegionState } from './model';

/** A path into the estate document, e.g. ['accounts', 1, 'regions', 'us-east-1', ...]. */
export type IssuePath = Array<string | number>;

export interface EstateIssue {
  path: IssuePath;
  message: string;
}

/** `accounts[1].regions.us-east-1.restApis[3]`: how issues name a place in the file. */
export function formatPath(path: IssuePath): string {
  return path
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      return i === 0 ? part : `.${part}`;
    })
    .join('');
}

/** Thrown when an estate does not validate; lists every problem found. */
export class EstateValidationError extends Error {
  constructor(readonly issues: EstateIssue[], readonly source = 'estate') {
    super(
      `${source}: invalid estate (${issues.length} problem${
        issues.length === 1 ? '' : 's'
      }):\n${issues
        .map(
          issue => `  ${formatPath(issue.path) || '(root)'}: ${issue.message}`,
        )
        .join('\n')}`,
    );
    this.name = 'EstateValidationError';
  }
}

/** State shared by the build steps: the partition, collected issues and id allocation. */
export class BuildContext {
  readonly issues: EstateIssue[] = [];
  private readonly takenIds = new Set<string>();

  constructor(readonly partition: string) {}

  issue(path: IssuePath, message: string): void {
    this.issues.push({ path, message });
  }

  /**
   * An id given in the estate, or one derived from `seed`. Derived ids skip ids already
   * taken so that two APIs with the same name still get distinct ids; explicit duplicates
   * are reported.
   */
  allocateId(
    kind: string,
    explicit: string | undefined,
    seed: string,
    make: (seed: string) => string,
    path: IssuePath,
  ): string {
    if (explicit !== undefined) {
      if (this.takenIds.has(`${kind}:${explicit}`)) {
        this.issue(path, `duplicate ${kind} id '${explicit}'`);
      }
      this.takenIds.add(`${kind}:${explicit}`);
      return explicit;
    }
    let id = make(seed);
    for (let n = 1; this.takenIds.has(`${kind}:${id}`); n++)
      id = make(`${seed}#${n}`);
    this.takenIds.add(`${kind}:${id}`);
    return id;
  }

  lambdaArn(ref: string, region: string, accountId: string): string {
    return ref.startsWith('arn:')
      ? ref
      : `arn:${this.partition}:lambda:${region}:${accountId}:function:${ref}`;
  }

  /** The URI API Gateway uses to invoke a Lambda function (REST, WebSocket, authorizers). */
  lambdaInvokeUri(functionArn: string, region: string): string {
    return `arn:${this.partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
  }
}

/** A stable date in 2021-2024 for estates that do not say when something was created. */
export function defaultDate(seed: string): Date {
  const start = Date.UTC(2021, 0, 1);
  const span = Date.UTC(2024, 11, 31) - start;
  return new Date(start + Math.floor((ids.unit(seed) * span) / 1000) * 1000);
}

/** Default traffic: a stable number of requests per day between 100 and 20,000. */
export function defaultDailyTraffic(seed: string): number {
  return Math.round(100 + ids.unit(`traffic:${seed}`) * 19900);
}

export function emptyRegion(accountId: string, region: string): RegionState {
  return {
    accountId,
    region,
    vpcs: [],
    vpcEndpoints: [],
    loadBalancers: [],
    loadBalancersByArn: new Map(),
    listenersByArn: new Map(),
    vpcLinksV1: [],
    vpcLinksV2: [],
    restApis: [],
    restApisById: new Map(),
    v2Apis: [],
    v2ApisById: new Map(),
    domains: [],
  };
}

/** Hosted zone ids of the Regions most estates use; others get a stable made-up one. */
const HOSTED_ZONES: Record<string, Record<string, string>> = {
  'us-east-1': {
    vpce: 'Z7HUB22UULQXV',
    nlb: 'Z26RNL4JYFTOTI',
    alb: 'Z35SXDOTRQ7X7K',
    apigw: 'Z1UJRXOUMOOFQ8',
  },
  'eu-west-1': {
    vpce: 'Z38GZ743OKFT7T',
    nlb: 'Z2IFOLAFXWLO4F',
    alb: 'Z32O12XQLNTSW2',
    apigw: 'ZLY8HYME6SFDD',
  },
};

export function hostedZone(
  region: string,
  kind: 'vpce' | 'nlb' | 'alb' | 'apigw',
): string {
  return (
    HOSTED_ZONES[region]?.[kind] ?? `Z${ids.upper(`${region}:${kind}`, 13)}`
  );
}

/**
 * The authorizer a REST method or a v2 route names (by name or id) and its authorization
 * type: the one given, else the one the authorizer's kind takes, else NONE. A type that needs
 * an authorizer without one, or an authorizer of another kind, is an issue.
 */
export function resolveAuthorization<A extends { name: string }>(
  ctx: BuildContext,
  input: { authorizer?: string; authorization?: string },
  options: {
    apiName: string;
    authorizers: A[];
    idOf: (authorizer: A) => string;
    kindOf: (authorizer: A) => string;
    /** The authorization type an authorizer of this kind (or a missing one) takes. */
    inferredOf: (authorizer: A | undefined) => string;
    /** The authorization types that need an authorizer. */
    needAuthorizer: string[];
    path: IssuePath;
  },
): { authorizer: A | undefined; authorizationType: string } {
  const { path } = options;
  const authorizer = input.authorizer
    ? options.authorizers.find(
        a =>
          a.name === input.authorizer || options.idOf(a) === input.authorizer,
      )
    : undefined;
  if (input.authorizer && !authorizer) {
    ctx.issue(
      [...path, 'authorizer'],
      `'${input.authorizer}' is not an authorizer of API ${options.apiName}`,
    );
  }
  const inferred = options.inferredOf(authorizer);
  const authorizationType =
    input.authorization ?? (input.authorizer ? inferred : 'NONE');
  if (options.needAuthorizer.includes(authorizationType) && !input.authorizer) {
    ctx.issue(
      [...path, 'authorization'],
      `${authorizationType} authorization needs an authorizer`,
    );
  } else if (authorizer && authorizationType !== inferred) {
    ctx.issue(
      [...path, 'authorization'],
      `authorizer '${authorizer.name}' (${options.kindOf(
        authorizer,
      )}) needs authorization ${inferred}, not ${authorizationType}`,
    );
  }
  return { authorizer, authorizationType };
}
