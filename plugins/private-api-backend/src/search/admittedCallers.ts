import {
  analyzeResourcePolicy,
  ApiRecord,
  endpointAccess,
  EstateContext,
  PolicyParseError,
} from '@private-api-catalog/plugin-private-api-common';

/** The VPC endpoints and VPCs an API's resource policy lets in. */
export interface AdmittedCallers {
  vpcEndpointIds: string[];
  vpcIds: string[];
}

/**
 * Which VPC endpoints and VPCs may call the API, from its stored resource policy: every
 * execute-api endpoint of the estate in the API's Region that the policy lets in (anonymous
 * calls, or signed calls from principals the policy names), and the endpoints and VPCs the
 * policy names as allowed (they may lie outside the discovered estate).
 *
 * Public APIs and HTTP/WebSocket APIs admit no endpoints: they are not called through one.
 *
 * The one place search asks this question, computed from the policy on each call; it can
 * read a stored reverse index instead once the inventory keeps one.
 */
export function admittedCallers(
  api: ApiRecord,
  estate: EstateContext,
): AdmittedCallers {
  if (api.apiType !== 'REST' || api.endpointType !== 'PRIVATE') {
    return { vpcEndpointIds: [], vpcIds: [] };
  }
  const endpoints = new Set<string>();
  const vpcs = new Set<string>();
  for (const endpoint of estate.vpcEndpoints) {
    // An execute-api endpoint reaches the private APIs of its own Region only.
    if (endpoint.region !== api.region || endpoint.state === 'deleted') {
      continue;
    }
    const { verdict } = endpointAccess(api, endpoint);
    if (verdict === 'allowed' || verdict === 'signed-only') {
      endpoints.add(endpoint.vpcEndpointId);
      vpcs.add(endpoint.vpcId);
    }
  }
  try {
    const analysis = analyzeResourcePolicy(api.policy, {
      apiArn: api.executeApiArn,
      endpointType: api.endpointType,
      stages: api.stages.map(s => s.stageName),
    });
    if (analysis.audience !== 'nobody') {
      analysis.vpcEndpoints?.allowed.forEach(id => endpoints.add(id));
      analysis.vpcs?.allowed.forEach(id => vpcs.add(id));
    }
  } catch (error) {
    // An unreadable policy admits nobody we can name; the entity page explains why.
    if (!(error instanceof PolicyParseError)) throw error;
  }
  return {
    vpcEndpointIds: [...endpoints].sort(),
    vpcIds: [...vpcs].sort(),
  };
}
