/**
 * "Can VPC X call API Y?": every condition checked against the inventory, each with its
 * outcome, a message and the fix; conditions the inventory cannot show are listed as not
 * checked rather than assumed.
 */
import { describeAssumption, VERIFY_ASSUMPTIONS } from '../assumptions';
import { AWS_DOCS } from '../docs';
import {
  ApiRecord,
  EstateContext,
  VpcEndpointRecord,
} from '../inventory/types';
import { analyzeResourcePolicy } from '../policy/analyze';
import { endpointAccess, EndpointAccess } from './access';
import { routeAuth } from './auth';
import {
  executeApiHost,
  executeApiServiceName,
  hostOf,
  isExecuteApiService,
  route53AliasHost,
} from './urls';

/** What each check covers. */
export type ReachabilityCheckId =
  | 'vpc-known'
  | 'endpoint-exists'
  | 'endpoint-region'
  | 'endpoint-available'
  | 'resource-policy'
  | 'execute-api-endpoint'
  | 'dns'
  | 'authorization'
  | 'security-group'
  | 'endpoint-policy'
  | 'public-endpoint'
  | 'private-dns-conflict'
  | 'internet-egress';

/** `skipped`: the inventory cannot show it; the message says what to look at. */
export type ReachabilityStatus = 'ok' | 'warning' | 'failed' | 'skipped';

/** One condition of the call, checked. */
export interface ReachabilityStep {
  id: ReachabilityCheckId;
  title: string;
  status: ReachabilityStatus;
  message: string;
  fix?: string;
  /** The AWS page the check's fact comes from. */
  docUrl?: string;
}

/** The answer to "can this VPC call this API?". */
export interface ReachabilityCheck {
  apiId: string;
  vpcId: string;
  /** `conditional`: nothing failed, but something needs attention (a warning). */
  verdict: 'reachable' | 'conditional' | 'unreachable';
  /** The endpoint the checks settled on, for private APIs. */
  vpcEndpointId?: string;
  checks: ReachabilityStep[];
  summary: string;
}

const ACCESS_STATUS: Record<EndpointAccess['verdict'], ReachabilityStatus> = {
  allowed: 'ok',
  'signed-only': 'warning',
  unknown: 'warning',
  denied: 'failed',
};

const ACCESS_RANK: Record<EndpointAccess['verdict'], number> = {
  allowed: 0,
  'signed-only': 1,
  unknown: 2,
  denied: 3,
};

function vpcCheck(vpcId: string, estate: EstateContext): ReachabilityStep {
  const vpc = estate.vpcs.find(v => v.vpcId === vpcId);
  return vpc
    ? {
        id: 'vpc-known',
        title: 'VPC in the inventory',
        status: 'ok',
        message: `${vpcId}${vpc.name ? ` (${vpc.name})` : ''} is in account ${
          vpc.accountId
        }, ${vpc.region}.`,
      }
    : {
        id: 'vpc-known',
        title: 'VPC in the inventory',
        status: 'warning',
        message: `${vpcId} is not in the inventory: the checks use the endpoints the inventory knows in it.`,
        fix: "Add the VPC's account and Region to discovery.",
      };
}

function authorizationCheck(
  api: ApiRecord,
  endpoint?: VpcEndpointRecord,
): ReachabilityStep {
  const counts = new Map<string, number>();
  for (const route of api.routes) {
    const { description } = routeAuth(api, route);
    const kind = description.split(':')[0];
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const keyed = api.routes.filter(r => r.apiKeyRequired).length;
  const parts = [...counts].map(
    ([kind, n]) => `${kind} on ${n} route${n > 1 ? 's' : ''}`,
  );
  if (keyed) parts.push(`an API key on ${keyed} route${keyed > 1 ? 's' : ''}`);
  const crossAccount =
    endpoint &&
    endpoint.ownerAccountId !== api.accountId &&
    api.routes.some(r => r.authorizationType === 'AWS_IAM')
      ? ` The endpoint is in account ${endpoint.ownerAccountId}: IAM callers from there also need their own IAM policy to allow execute-api:Invoke.`
      : '';
  return {
    id: 'authorization',
    title: 'What callers must send',
    status: 'ok',
    message: api.routes.length
      ? `${parts.join('; ')}.${crossAccount}`
      : 'The inventory lists no routes for this API.',
  };
}

/** Which name resolves to the endpoint: private DNS, the Route 53 alias, or only its own. */
function dnsCheck(
  api: ApiRecord,
  endpoint: VpcEndpointRecord,
  vpcId: string,
): ReachabilityStep {
  const id = endpoint.vpcEndpointId;
  const step = { id: 'dns' as const, title: 'DNS name', status: 'ok' as const };
  if (endpoint.privateDnsEnabled) {
    const host = executeApiHost(api.apiId, api.region, api.partition);
    return {
      ...step,
      message: `${id} has private DNS enabled: ${host} resolves to it in ${vpcId}.`,
    };
  }
  if (api.vpcEndpointIds.includes(id)) {
    const alias = route53AliasHost(api.apiId, id, api.region, api.partition);
    return {
      ...step,
      message: `${id} is associated with the API: call ${alias}.`,
    };
  }
  const own = endpoint.dnsNames[0] ? ` (${endpoint.dnsNames[0]})` : '';
  return {
    ...step,
    status: 'warning',
    message: `${id} has private DNS disabled and is not associated with the API: only its own DNS name${own} with a Host or x-apigw-api-id header works, which browsers cannot use.`,
    fix: `Enable private DNS on ${id}, or associate it with the API for a Route 53 alias.`,
    docUrl: AWS_DOCS.invokePrivateApi,
  };
}

/** What the resource policy of a public REST API means for a caller from a VPC. */
function publicPolicyCheck(api: ApiRecord, policy: string): ReachabilityStep {
  const analysis = analyzeResourcePolicy(policy, {
    apiArn: api.executeApiArn,
    endpointType: api.endpointType,
  });
  const step = { id: 'resource-policy' as const, title: 'Resource policy' };
  if (analysis.audience === 'nobody') {
    return {
      ...step,
      status: 'failed',
      message: 'The resource policy lets no call in.',
    };
  }
  if (analysis.audience === 'anyone') {
    return {
      ...step,
      status: 'ok',
      message: 'The resource policy lets any caller in.',
    };
  }
  const addresses =
    analysis.sourceIps && !analysis.sourceIps.any
      ? ` (source addresses ${analysis.sourceIps.allowed.join(', ')})`
      : '';
  const signed = analysis.anonymous ? '' : ', and only signed ones';
  return {
    ...step,
    status: 'warning',
    message: `The resource policy admits only some callers${addresses}${signed}: the VPC's public (NAT) address must be among them.`,
  };
}

function privateChecks(api: ApiRecord, vpcId: string, estate: EstateContext) {
  const checks: ReachabilityStep[] = [vpcCheck(vpcId, estate)];
  const service = executeApiServiceName(api.region);
  const inVpc = estate.vpcEndpoints.filter(
    e => e.vpcId === vpcId && isExecuteApiService(e.serviceName),
  );
  if (inVpc.length === 0) {
    checks.push({
      id: 'endpoint-exists',
      title: 'execute-api VPC endpoint',
      status: 'failed',
      message: `${vpcId} has no interface VPC endpoint for execute-api, and a private API answers only through one.`,
      fix: `Create an interface VPC endpoint for ${service} in ${vpcId}, with private DNS enabled.`,
      docUrl: AWS_DOCS.privateApis,
    });
    return { checks };
  }
  checks.push({
    id: 'endpoint-exists',
    title: 'execute-api VPC endpoint',
    status: 'ok',
    message: `${vpcId} has ${inVpc.map(e => e.vpcEndpointId).join(', ')}.`,
  });
  const sameRegion = inVpc.filter(e => e.region === api.region);
  if (sameRegion.length === 0) {
    checks.push({
      id: 'endpoint-region',
      title: "Endpoint in the API's Region",
      status: 'failed',
      message: `The endpoints of ${vpcId} are in ${inVpc[0].region} and the API in ${api.region}: an endpoint reaches private APIs of its own Region only.`,
      fix: `Call from a VPC in ${api.region} with an endpoint for ${service}.`,
      docUrl: AWS_DOCS.privateApis,
    });
    return { checks };
  }
  checks.push({
    id: 'endpoint-region',
    title: "Endpoint in the API's Region",
    status: 'ok',
    message: `${sameRegion.map(e => e.vpcEndpointId).join(', ')} ${
      sameRegion.length > 1 ? 'are' : 'is'
    } in ${api.region}.`,
  });
  const available = sameRegion.filter(e => e.state === 'available');
  if (available.length === 0) {
    checks.push({
      id: 'endpoint-available',
      title: 'Endpoint available',
      status: 'failed',
      message: `${sameRegion
        .map(e => `${e.vpcEndpointId} is ${e.state}`)
        .join('; ')}, not available.`,
      fix: 'Wait until the endpoint is available, or recreate it if it failed.',
    });
    return { checks };
  }
  checks.push({
    id: 'endpoint-available',
    title: 'Endpoint available',
    status: 'ok',
    message: `${available.map(e => e.vpcEndpointId).join(', ')} ${
      available.length > 1 ? 'are' : 'is'
    } available.`,
  });

  // Settle on the endpoint that works best: allowed first, then private DNS, then associated.
  const ranked = available
    .map(e => ({ endpoint: e, access: endpointAccess(api, e) }))
    .sort(
      (a, b) =>
        ACCESS_RANK[a.access.verdict] - ACCESS_RANK[b.access.verdict] ||
        Number(b.endpoint.privateDnsEnabled) -
          Number(a.endpoint.privateDnsEnabled) ||
        Number(api.vpcEndpointIds.includes(b.endpoint.vpcEndpointId)) -
          Number(api.vpcEndpointIds.includes(a.endpoint.vpcEndpointId)),
    );
  const { endpoint, access } = ranked[0];
  checks.push({
    id: 'resource-policy',
    title: 'Resource policy',
    status: ACCESS_STATUS[access.verdict],
    message: access.message,
    docUrl: AWS_DOCS.resourcePolicy,
    ...(access.fix ? { fix: access.fix } : {}),
  });

  const id = endpoint.vpcEndpointId;
  if (api.disableExecuteApiEndpoint) {
    const domains = api.domains.filter(
      d =>
        d.endpointType === 'PRIVATE' &&
        d.accessAssociations.some(a => a.vpcEndpointId === id),
    );
    checks.push({
      id: 'execute-api-endpoint',
      title: 'Default execute-api endpoint',
      status: domains.length ? 'warning' : 'failed',
      message: `The API's default endpoint is disabled: only custom domain names answer${
        domains.length
          ? `; ${id} can use ${domains.map(d => d.domainName).join(', ')}`
          : `, and no private custom domain has an access association for ${id}`
      }. ${describeAssumption(
        VERIFY_ASSUMPTIONS.disabledDefaultEndpointBlocksEndpointNames,
      )}`,
      ...(domains.length
        ? {}
        : {
            fix: `Create a domain name access association for ${id} with a private custom domain of the API.`,
          }),
    });
  } else {
    checks.push({
      id: 'execute-api-endpoint',
      title: 'Default execute-api endpoint',
      status: 'ok',
      message: "The API's default execute-api endpoint is enabled.",
    });
    checks.push(dnsCheck(api, endpoint, vpcId));
  }
  checks.push(
    authorizationCheck(api, endpoint),
    {
      id: 'security-group',
      title: 'Security group',
      status: 'skipped',
      message: `Not checked (the inventory has no security group rules): ${
        endpoint.securityGroupIds.join(', ') || "the endpoint's security groups"
      } must allow TCP 443 from the callers.`,
      docUrl: AWS_DOCS.interfaceEndpoint,
    },
    {
      id: 'endpoint-policy',
      title: 'VPC endpoint policy',
      status: 'skipped',
      message: `Not checked: if ${id} has its own endpoint policy, it must allow execute-api:Invoke on this API.`,
    },
  );
  return { checks, endpoint };
}

function publicChecks(api: ApiRecord, vpcId: string, estate: EstateContext) {
  const checks: ReachabilityStep[] = [vpcCheck(vpcId, estate)];
  const domains = api.domains.filter(
    d =>
      d.endpointType !== 'PRIVATE' &&
      d.mappings.some(m => m.apiId === api.apiId),
  );
  const domainNames = domains.map(d => d.domainName).join(', ');
  checks.push(
    api.disableExecuteApiEndpoint
      ? {
          id: 'public-endpoint',
          title: 'Public endpoint',
          status: domains.length ? 'warning' : 'failed',
          message: `The default execute-api endpoint is disabled${
            domains.length
              ? `: use ${domainNames}`
              : ', and the API has no custom domain'
          }.`,
          ...(domains.length
            ? {}
            : {
                fix: 'Give the API a custom domain name, or enable its default endpoint.',
              }),
        }
      : {
          id: 'public-endpoint',
          title: 'Public endpoint',
          status: 'ok',
          message: `The API is public (${api.apiType} ${api.endpointType}) at ${api.apiEndpoint}.`,
        },
  );
  const conflicting = estate.vpcEndpoints.find(
    e =>
      e.vpcId === vpcId &&
      isExecuteApiService(e.serviceName) &&
      e.region === api.region &&
      e.privateDnsEnabled,
  );
  const host = api.apiEndpoint
    ? hostOf(api.apiEndpoint)
    : executeApiHost(api.apiId, api.region, api.partition);
  checks.push(
    conflicting
      ? {
          id: 'private-dns-conflict',
          title: 'Private DNS of an execute-api endpoint',
          status: domains.length ? 'warning' : 'failed',
          message: `${
            conflicting.vpcEndpointId
          } in ${vpcId} has private DNS enabled: ${host} resolves to it, which answers for private APIs only${
            domains.length ? `; ${domainNames} still work` : ''
          }.${
            api.apiType === 'REST'
              ? ''
              : ` ${describeAssumption(
                  VERIFY_ASSUMPTIONS.privateDnsBlocksAllPublicApis,
                )}`
          }`,
          fix: domains.length
            ? `Call the API by ${domainNames}.`
            : `Give the API a custom domain name, or disable private DNS on ${conflicting.vpcEndpointId}.`,
        }
      : {
          id: 'private-dns-conflict',
          title: 'Private DNS of an execute-api endpoint',
          status: 'ok',
          message: `No execute-api endpoint with private DNS in ${vpcId} captures ${host}.`,
        },
  );
  if (api.apiType === 'REST' && api.policy?.trim()) {
    checks.push(publicPolicyCheck(api, api.policy));
  }
  checks.push(
    {
      id: 'internet-egress',
      title: 'Route to the internet',
      status: 'skipped',
      message: `Not checked: ${vpcId} needs a NAT gateway or an internet gateway to reach a public API.`,
    },
    authorizationCheck(api),
  );
  return { checks };
}

/**
 * Checks whether the VPC can call the API: for a private API, an execute-api endpoint in the
 * VPC, in the API's Region, available; the resource policy letting it in; the DNS name to
 * use; what callers must send. For a public API, its endpoint, the private DNS of the VPC's
 * endpoints, its policy. Every check is returned, with the fix where one failed.
 */
export function checkReachability(
  api: ApiRecord,
  callerVpcId: string,
  estate: EstateContext,
): ReachabilityCheck {
  const isPrivate = api.endpointType === 'PRIVATE' && api.apiType === 'REST';
  const { checks, endpoint } = isPrivate
    ? privateChecks(api, callerVpcId, estate)
    : { ...publicChecks(api, callerVpcId, estate), endpoint: undefined };
  const failed = checks.filter(c => c.status === 'failed');
  const warnings = checks.filter(c => c.status === 'warning');
  const skipped = checks.filter(c => c.status === 'skipped').length;
  let verdict: ReachabilityCheck['verdict'] = 'reachable';
  if (warnings.length) verdict = 'conditional';
  if (failed.length) verdict = 'unreachable';
  const through = endpoint ? ` through ${endpoint.vpcEndpointId}` : '';
  const unchecked = skipped
    ? ` (${skipped} condition${skipped > 1 ? 's' : ''} not checked)`
    : '';
  let summary = `${callerVpcId} can call ${api.name}${through}${unchecked}.`;
  if (verdict === 'conditional') {
    summary = `${callerVpcId} can probably call ${
      api.name
    }${through}; check: ${warnings.map(w => w.message).join(' ')}`;
  } else if (verdict === 'unreachable') {
    summary = `${callerVpcId} cannot call ${api.name}: ${failed[0].message}`;
  }
  return {
    apiId: api.apiId,
    vpcId: callerVpcId,
    verdict,
    ...(endpoint ? { vpcEndpointId: endpoint.vpcEndpointId } : {}),
    checks,
    summary,
  };
}
