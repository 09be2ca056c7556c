import { createHash } from 'node:crypto';
import {
  analyzeResourcePolicy,
  ApiCostResponse,
  ApiRecord,
  CostEstimate,
  CostUsage,
  estimateMonthlyCost,
  PolicyAnalysis,
  PriceBook,
  usageFromInventory,
} from '@private-api-catalog/plugin-private-api-common';
import type { InventoryStore } from '../inventory/InventoryStore';

const PAGE_SIZE = 200;

/** The inputs of an API's policy analysis: the same inputs give the same analysis. */
function analysisInputs(api: ApiRecord) {
  return {
    apiArn: api.executeApiArn,
    endpointType: api.endpointType,
    associatedVpcEndpointIds: api.vpcEndpointIds,
    stages: api.stages.map(s => s.stageName),
  };
}

/** SHA-256 of everything the analysis reads, the key it is memoized by. */
export function policyAnalysisHash(api: ApiRecord): string {
  return createHash('sha256')
    .update(JSON.stringify([api.policy ?? '', analysisInputs(api)]))
    .digest('hex');
}

/**
 * The analysis of the API's resource policy, as JSON; undefined when the policy cannot be
 * read (the entity page explains why from the policy text).
 */
export function policyAnalysisJson(api: ApiRecord): string | undefined {
  try {
    return JSON.stringify(
      analyzeResourcePolicy(api.policy, analysisInputs(api)),
    );
  } catch {
    return undefined;
  }
}

/**
 * VPCs and VPC endpoints the resource policy names as allowed callers; undefined for
 * public APIs, where VPC conditions do not apply, and for a policy that cannot be read.
 */
export function allowedVpcCount(
  api: ApiRecord,
  analysisJson: string | undefined,
): number | undefined {
  if (api.endpointType !== 'PRIVATE') return undefined;
  if (!api.policy) return 0;
  if (!analysisJson) return undefined;
  const analysis = JSON.parse(analysisJson) as PolicyAnalysis;
  return (
    (analysis.vpcs?.allowed.length ?? 0) +
    (analysis.vpcEndpoints?.allowed.length ?? 0)
  );
}

/** The answer of GET .../cost for one API of a scope's estimate; undefined when absent. */
export function costAnswer(
  estimate: CostEstimate,
  apiId: string,
): ApiCostResponse | undefined {
  return costAnswers(estimate)(apiId);
}

/** Assumptions about one API's traffic; the others hold for every API of the estimate. */
const PER_API_ASSUMPTION = /^(Requests of|No traffic data for) /;

/**
 * The answers of GET .../cost for the APIs of a scope's estimate, by API id: the estimate is
 * taken apart once (its APIs, advice and per-API assumptions), not once per API, so a scope
 * of thousands of APIs costs its size, not its square, in regular expressions and look-ups.
 */
export function costAnswers(
  estimate: CostEstimate,
): (apiId: string) => ApiCostResponse | undefined {
  const apis = new Map(estimate.apis.map(a => [a.apiId, a]));
  const advice = new Map<string, CostEstimate['advice']>();
  for (const a of estimate.advice) {
    advice.set(a.apiId, [...(advice.get(a.apiId) ?? []), a]);
  }
  const perApi = estimate.assumptions.map(a => PER_API_ASSUMPTION.test(a));
  return apiId => {
    const api = apis.get(apiId);
    if (!api) return undefined;
    const name = api.name ?? apiId;
    return {
      estimate: api,
      advice: advice.get(apiId) ?? [],
      assumptions: estimate.assumptions.filter(
        (a, i) => !perApi[i] || a.includes(name),
      ),
      priceTables: estimate.priceTables,
    };
  };
}

/**
 * The usage of every API of a scope, gathered a page at a time: request tiers apply per
 * account and Region across all APIs of a type (AWS-FACTS §8), so an API's cost can only be
 * allocated with all of them, but only their usage needs to stay in memory.
 */
export async function scopeUsage(
  store: InventoryStore,
  accountId: string,
  region: string,
  onPage?: (apis: ApiRecord[]) => Promise<void>,
): Promise<CostUsage> {
  const usage: Required<Pick<CostUsage, 'apis' | 'vpcLinks' | 'assumptions'>> =
    {
      apis: [],
      vpcLinks: [],
      assumptions: [],
    };
  const linkKeys = new Set<string>();
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = (
      await store.listScopeApis(accountId, region, { limit: PAGE_SIZE, offset })
    ).map(p => p.api);
    if (page.length === 0) break;
    const partial = usageFromInventory(page);
    usage.apis.push(...partial.apis);
    usage.assumptions.push(...(partial.assumptions ?? []));
    for (const link of partial.vpcLinks ?? []) {
      const key = `${link.accountId}|${link.region}|${link.id}`;
      if (!linkKeys.has(key)) {
        linkKeys.add(key);
        usage.vpcLinks.push(link);
      }
    }
    await onPage?.(page);
    if (page.length < PAGE_SIZE) break;
  }
  return usage;
}

/** The monthly cost of one scope's APIs, with tiers shared across them. */
export async function scopeCostEstimate(
  store: InventoryStore,
  accountId: string,
  region: string,
  prices?: PriceBook,
): Promise<CostEstimate> {
  return estimateMonthlyCost(
    await scopeUsage(store, accountId, region),
    prices,
  );
}

/**
 * Recomputes, for every API of a scope after its crawl, the figures the explorer lists and
 * sorts by (allowed VPCs, monthly cost) and the answers page views read as they are stored
 * (the detail snapshot, the cost answer, the policy analysis). A policy analysis whose inputs have not changed
 * since the last run is kept, not recomputed.
 */
export async function refreshDerivedFigures(
  store: InventoryStore,
  accountId: string,
  region: string,
  prices?: PriceBook,
): Promise<void> {
  const known = await store.getPolicyAnalysisHashes(accountId, region);
  const analyses = new Map<
    string,
    { count?: number; changed?: { hash: string; json?: string } }
  >();
  const usage = await scopeUsage(store, accountId, region, async page => {
    await store.writeDetailSnapshots(page);
    for (const api of page) {
      const hash = policyAnalysisHash(api);
      const stored = known.get(api.apiId);
      if (stored?.hash === hash) {
        analyses.set(api.apiId, { count: stored.allowedVpcCount });
      } else {
        const json = policyAnalysisJson(api);
        analyses.set(api.apiId, {
          count: allowedVpcCount(api, json),
          changed: { hash, json },
        });
      }
    }
  });
  const estimate = estimateMonthlyCost(usage, prices);
  const costs = new Map(estimate.apis.map(a => [a.apiId, a.total]));
  const costAnswerOf = costAnswers(estimate);
  await store.updateDerivedFigures(
    accountId,
    region,
    [...analyses.entries()].map(([apiId, analysis]) => {
      const cost = costAnswerOf(apiId);
      return {
        apiId,
        allowedVpcCount: analysis.count,
        monthlyCostUsd: costs.get(apiId),
        costJson: cost ? JSON.stringify(cost) : undefined,
        policyAnalysis: analysis.changed,
      };
    }),
  );
}
