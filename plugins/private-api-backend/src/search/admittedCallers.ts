import {
  analyzeResourcePolicy,
  ApiRecord,
  PolicyParseError,
} from '@private-api-catalog/plugin-private-api-common';

/** The VPC endpoints and VPCs an API's resource policy lets in. */
export interface AdmittedCallers {
  vpcEndpointIds: string[];
  vpcIds: string[];
}

/** An endpoint the stored reverse index says the API's policy lets in. */
export interface IndexedCaller {
  vpcEndpointId: string;
  vpcId: string;
}

/**
 * Which VPC endpoints and VPCs may call the API: the estate's execute-api endpoints that the
 * reverse index (computed at crawl time, `InventoryStore.listAdmittedCallers`) says the
 * policy lets in, anonymously or for the principals it names, and the endpoints and VPCs the
 * policy names as allowed (they may lie outside the discovered estate).
 *
 * Public APIs and HTTP/WebSocket APIs admit no endpoints: they are not called through one.
 */
export function admittedCallers(
  api: ApiRecord,
  indexed: IndexedCaller[],
): AdmittedCallers {
  if (api.apiType !== 'REST' || api.endpointType !== 'PRIVATE') {
    return { vpcEndpointIds: [], vpcIds: [] };
  }
  const endpoints = new Set(indexed.map(e => e.vpcEndpointId));
  const vpcs = new Set(indexed.map(e => e.vpcId));
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
