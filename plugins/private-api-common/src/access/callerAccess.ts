import type { ApiRecord, VpcEndpointRecord } from '../inventory/types';
import { evaluateAccess } from '../policy/evaluate';

/** The caller of an access request: one VPC endpoint, or any endpoint of a VPC. */
export interface Caller {
  vpcId?: string;
  vpcEndpointId?: string;
}

/**
 * The ways the caller's calls arrive: through the named endpoint, or through any
 * execute-api endpoint of the named VPC in the API's Region (an interface endpoint
 * reaches execute-api only in its own Region).
 */
export function callerPaths(
  api: Pick<ApiRecord, 'region'>,
  caller: Caller,
  endpoints: VpcEndpointRecord[],
): Array<{ sourceVpc: string; sourceVpce: string }> {
  const inRegion = endpoints.filter(e => e.region === api.region);
  if (caller.vpcEndpointId) {
    const endpoint = inRegion.find(
      e => e.vpcEndpointId === caller.vpcEndpointId,
    );
    return endpoint
      ? [{ sourceVpc: endpoint.vpcId, sourceVpce: endpoint.vpcEndpointId }]
      : [];
  }
  return inRegion
    .filter(e => e.vpcId === caller.vpcId)
    .map(e => ({ sourceVpc: e.vpcId, sourceVpce: e.vpcEndpointId }));
}

/**
 * Whether the API's resource policy lets the caller invoke every route of the given stages
 * (all stages when empty), through at least one of its paths. Unsigned calls, as a plain
 * curl from the VPC makes them; IAM-authorized routes still need the caller's own IAM.
 */
export function isCallerAllowed(
  api: ApiRecord,
  stages: string[],
  caller: Caller,
  endpoints: VpcEndpointRecord[],
): boolean {
  if (!api.policy) return false;
  const stageNames =
    stages.length > 0 ? stages : api.stages.map(s => s.stageName);
  const routes =
    api.routes.length > 0
      ? api.routes.map(r => ({
          method: r.method ?? 'GET',
          path: r.path ?? '/',
        }))
      : [{ method: 'GET', path: '/' }];
  return callerPaths(api, caller, endpoints).some(path =>
    stageNames.every(stage =>
      routes.every(route => {
        const method = route.method === 'ANY' ? 'GET' : route.method;
        const resource = `${api.executeApiArn}/${stage}/${method}${
          route.path.startsWith('/') ? route.path : `/${route.path}`
        }`;
        return (
          evaluateAccess(api.policy!, { resource, ...path }).decision ===
          'allow'
        );
      }),
    ),
  );
}
