/**
 * The AWS resources an API sends its requests to (Lambda functions, load balancers behind
 * VPC links), read from its integrations and authorizers: what the catalog shows as the
 * API's dependencies and the API page names as its targets.
 */
import type {
  ApiRecord,
  IntegrationTarget,
  LoadBalancerRecord,
  VpcLinkRecord,
} from './types';

/** Where an ARN lives: its partition, Region and account. */
interface ArnScope {
  partition: string;
  region: string;
  accountId: string;
}

/** A Lambda function an integration or a Lambda authorizer invokes. */
export interface LambdaFunctionResource extends ArnScope {
  kind: 'lambda-function';
  /** The function's ARN without a version or alias qualifier. */
  arn: string;
  functionName: string;
  /** Whether requests reach it through an integration, an authorizer, or both. */
  roles: Array<'integration' | 'authorizer'>;
}

/** A load balancer a VPC link integration reaches. */
export interface LoadBalancerResource extends ArnScope {
  kind: 'load-balancer';
  arn: string;
  name: string;
  type: 'network' | 'application' | 'gateway';
  dnsName?: string;
}

export type IntegrationResource = LambdaFunctionResource | LoadBalancerResource;

/**
 * `arn:{partition}:lambda:{region}:{account}:function:{name}[:{qualifier}]`; undefined for
 * anything else, such as an ARN built from stage variables.
 */
export function parseLambdaFunctionArn(
  arn: string,
): Omit<LambdaFunctionResource, 'roles'> | undefined {
  const match =
    /^arn:([a-z-]+):lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(:[A-Za-z0-9_$-]+)?$/.exec(
      arn,
    );
  if (!match) return undefined;
  const [, partition, region, accountId, functionName] = match;
  return {
    kind: 'lambda-function',
    partition,
    region,
    accountId,
    functionName,
    arn: `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`,
  };
}

const LOAD_BALANCER_TYPES = {
  net: 'network',
  app: 'application',
  gwy: 'gateway',
} as const;

/**
 * A load balancer's ARN, or one of its listeners' (`...:listener/{net|app}/{name}/{id}/{listener-id}`),
 * as the load balancer it belongs to; undefined for anything else (a Cloud Map service).
 */
export function parseLoadBalancerArn(
  arn: string,
): LoadBalancerResource | undefined {
  const match =
    /^arn:([a-z-]+):elasticloadbalancing:([a-z0-9-]+):(\d{12}):(?:loadbalancer|listener)\/(net|app|gwy)\/([A-Za-z0-9-]+)\/([0-9a-f]+)(\/[0-9a-f]+)?$/.exec(
      arn,
    );
  if (!match) return undefined;
  const [, partition, region, accountId, kind, name, id] = match;
  return {
    kind: 'load-balancer',
    partition,
    region,
    accountId,
    name,
    type: LOAD_BALANCER_TYPES[kind as keyof typeof LOAD_BALANCER_TYPES],
    arn: `arn:${partition}:elasticloadbalancing:${region}:${accountId}:loadbalancer/${kind}/${name}/${id}`,
  };
}

/** The load balancer and listener a VPC link integration reaches, when the inventory has them. */
export function vpcLinkTarget(
  link: VpcLinkRecord | undefined,
  target: Extract<IntegrationTarget, { kind: 'vpc-link' }>,
): {
  loadBalancer?: LoadBalancerRecord;
  listener?: LoadBalancerRecord['listeners'][number];
} {
  if (!link) return {};
  const listenerArn = target.listenerArn ?? target.targetArn;
  for (const lb of link.loadBalancers) {
    const listener = lb.listeners.find(l => l.arn === listenerArn);
    if (listener) return { loadBalancer: lb, listener };
  }
  const loadBalancer =
    link.loadBalancers.find(lb => lb.arn === target.targetArn) ??
    // A V1 link has its NLBs and nothing else.
    (link.version === 'V1' ? link.loadBalancers[0] : undefined);
  return { loadBalancer };
}

function vpcLinkLoadBalancer(
  api: ApiRecord,
  target: Extract<IntegrationTarget, { kind: 'vpc-link' }>,
): LoadBalancerResource | undefined {
  const link = api.vpcLinks.find(l => l.id === target.vpcLinkId);
  const { loadBalancer } = vpcLinkTarget(link, target);
  if (loadBalancer) {
    const parsed = parseLoadBalancerArn(loadBalancer.arn);
    if (!parsed) return undefined;
    return {
      ...parsed,
      name: loadBalancer.name,
      type: loadBalancer.type,
      ...(loadBalancer.dnsName ? { dnsName: loadBalancer.dnsName } : {}),
    };
  }
  // The link's load balancers were not read (no elasticloadbalancing access): the ARN alone.
  const arn = target.listenerArn ?? target.targetArn;
  return arn ? parseLoadBalancerArn(arn) : undefined;
}

/**
 * The Lambda functions and load balancers behind an API, each once, sorted by ARN.
 * Integrations that reach neither (HTTP, AWS services, mocks, Cloud Map) add nothing.
 */
export function integrationResources(api: ApiRecord): IntegrationResource[] {
  const byArn = new Map<string, IntegrationResource>();
  const addLambda = (arn: string, role: 'integration' | 'authorizer') => {
    const parsed = parseLambdaFunctionArn(arn);
    if (!parsed) return;
    const known = byArn.get(parsed.arn);
    if (known?.kind === 'lambda-function') {
      if (!known.roles.includes(role)) known.roles.push(role);
      known.roles.sort();
      return;
    }
    byArn.set(parsed.arn, { ...parsed, roles: [role] });
  };
  for (const { target } of api.integrations) {
    if (target.kind === 'lambda') addLambda(target.functionArn, 'integration');
    if (target.kind === 'vpc-link') {
      const lb = vpcLinkLoadBalancer(api, target);
      if (lb) byArn.set(lb.arn, lb);
    }
  }
  for (const authorizer of api.authorizers) {
    if (authorizer.lambdaArn) addLambda(authorizer.lambdaArn, 'authorizer');
  }
  return [...byArn.values()].sort((a, b) => a.arn.localeCompare(b.arn));
}
