import {
  analyzeResourcePolicy,
  ApiRecord,
  CostEstimate,
  CostUsage,
  estimateMonthlyCost,
  PriceBook,
  usageFromInventory,
} from '@private-api-catalog/plugin-private-api-common';
import type { InventoryStore } from '../inventory/InventoryStore';

const PAGE_SIZE = 200;

/**
 * VPCs and VPC endpoints the resource policy names as allowed callers; undefined for
 * public APIs, where VPC conditions do not apply.
 */
export function allowedVpcCount(api: ApiRecord): number | undefined {
  if (api.endpointType !== 'PRIVATE') return undefined;
  if (!api.policy) return 0;
  try {
    const analysis = analyzeResourcePolicy(api.policy, {
      apiArn: api.executeApiArn,
      endpointType: api.endpointType,
      associatedVpcEndpointIds: api.vpcEndpointIds,
      stages: api.stages.map(s => s.stageName),
    });
    return (
      (analysis.vpcs?.allowed.length ?? 0) +
      (analysis.vpcEndpoints?.allowed.length ?? 0)
    );
  } catch {
    // A malformed policy: the entity page explains it; the count is unknown.
    return undefined;
  }
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
 * Recomputes the figures the explorer lists and sorts by (allowed VPCs, monthly cost) for
 * every API of a scope, after its crawl.
 */
export async function refreshDerivedFigures(
  store: InventoryStore,
  accountId: string,
  region: string,
  prices?: PriceBook,
): Promise<void> {
  const counts = new Map<string, number | undefined>();
  const usage = await scopeUsage(store, accountId, region, async page => {
    for (const api of page) counts.set(api.apiId, allowedVpcCount(api));
  });
  const estimate = estimateMonthlyCost(usage, prices);
  const costs = new Map(estimate.apis.map(a => [a.apiId, a.total]));
  await store.updateDerivedFigures(
    accountId,
    region,
    [...counts.entries()].map(([apiId, count]) => ({
      apiId,
      allowedVpcCount: count,
      monthlyCostUsd: costs.get(apiId),
    })),
  );
}
