import {
  analyzeResourcePolicy,
  AnalyzeOptions,
  ApiRecord,
  PolicyAnalysis,
  PolicyParseError,
} from '@private-api-catalog/plugin-private-api-common';
import type { PolicyWork } from '../policyWork/PolicyWork';

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
  /** The policy's analysis (`admittedCallersAnalysis`); null when it cannot be read. */
  analysis: PolicyAnalysis | null | undefined = analyzeOrNull(api),
): AdmittedCallers {
  if (api.apiType !== 'REST' || api.endpointType !== 'PRIVATE') {
    return { vpcEndpointIds: [], vpcIds: [] };
  }
  const endpoints = new Set(indexed.map(e => e.vpcEndpointId));
  const vpcs = new Set(indexed.map(e => e.vpcId));
  if (analysis && analysis.audience !== 'nobody') {
    analysis.vpcEndpoints?.allowed.forEach(id => endpoints.add(id));
    analysis.vpcs?.allowed.forEach(id => vpcs.add(id));
  }
  return {
    vpcEndpointIds: [...endpoints].sort(),
    vpcIds: [...vpcs].sort(),
  };
}

/** What the admitted callers are read from: the policy's analysis on the API's stages. */
function analysisOptions(api: ApiRecord): AnalyzeOptions {
  return {
    apiArn: api.executeApiArn,
    endpointType: api.endpointType,
    stages: api.stages.map(s => s.stageName),
  };
}

function analyzeOrNull(api: ApiRecord): PolicyAnalysis | null | undefined {
  if (api.apiType !== 'REST' || api.endpointType !== 'PRIVATE')
    return undefined;
  try {
    return analyzeResourcePolicy(api.policy, analysisOptions(api));
  } catch (error) {
    // An unreadable policy admits nobody we can name; the entity page explains why.
    if (!(error instanceof PolicyParseError)) throw error;
    return null;
  }
}

/**
 * The analysis `admittedCallers` reads, computed by the policy work (a worker thread: a
 * page of search documents may hold many large policies); null when the policy cannot be
 * read, undefined when the API admits no endpoints anyway.
 */
export async function admittedCallersAnalysis(
  api: ApiRecord,
  policyWork: PolicyWork,
): Promise<PolicyAnalysis | null | undefined> {
  if (api.apiType !== 'REST' || api.endpointType !== 'PRIVATE')
    return undefined;
  try {
    return await policyWork.run(
      'analyzeResourcePolicy',
      api.policy,
      analysisOptions(api),
    );
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    return null;
  }
}
