import { createHash } from 'node:crypto';
import {
  ApiCostResponse,
  ApiRecord,
  ApiType,
  estimateMonthlyCost,
  monthlyRequestsFromTraffic,
  PolicyAnalysis,
  PriceBook,
  SharedCostTotals,
  usageFromInventory,
} from '@private-api-catalog/plugin-private-api-common';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import type { InventoryStore } from '../inventory/InventoryStore';
import type { StoredDerivedFigures } from '../inventory/types';
import { inlinePolicyWork, PolicyWork } from '../policyWork/PolicyWork';

const PAGE_SIZE = 200;
/** APIs worked on between two turns of the event loop. */
const YIELD_EVERY = 10;

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
 * read (the entity page explains why from the policy text). Computed by the policy work:
 * on a worker thread in the backend, so a crawl's analyses do not stall serving.
 */
export async function policyAnalysisJson(
  api: ApiRecord,
  policyWork: PolicyWork = inlinePolicyWork,
): Promise<string | undefined> {
  try {
    return JSON.stringify(
      await policyWork.run(
        'analyzeResourcePolicy',
        api.policy,
        analysisInputs(api),
      ),
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

/**
 * What an API's cost shares with the other APIs of its account and Region (request tiers
 * count all APIs of a type there; a VPC link's load balancers are split between the APIs
 * that use it), summed by the database so that no scope is ever held in memory whole.
 */
export async function scopeCostTotals(
  store: InventoryStore,
  accountId: string,
  region: string,
): Promise<SharedCostTotals> {
  const inputs = await store.scopeCostInputs(accountId, region);
  const units = new Map<ApiType, number>();
  for (const t of inputs.traffic) {
    if (t.days === 0) continue;
    // As usageFromInventory counts them; the inventory has no payload sizes, so a request
    // (or message) is one billable unit for every API type.
    const monthly = monthlyRequestsFromTraffic({
      total: t.total,
      periodDays: t.days,
    });
    units.set(t.apiType, (units.get(t.apiType) ?? 0) + monthly);
  }
  return {
    requestUnits: [...units].map(([apiType, total]) => ({
      accountId,
      region,
      apiType,
      units: total,
    })),
    vpcLinkUsers: inputs.vpcLinkUsers.map(u => ({
      accountId,
      region,
      vpcLinkId: u.vpcLinkId,
      apis: u.apis,
    })),
  };
}

/**
 * The answer of GET .../cost for one API: its lines priced with its scope's shared totals,
 * and the advice and assumptions that concern it.
 */
export function apiCostAnswer(
  api: ApiRecord,
  totals: SharedCostTotals,
  prices?: PriceBook,
): ApiCostResponse {
  const estimate = estimateMonthlyCost(
    { ...usageFromInventory([api]), shared: totals },
    prices,
  );
  return {
    estimate: estimate.apis[0],
    advice: estimate.advice,
    assumptions: estimate.assumptions,
    priceTables: estimate.priceTables,
  };
}

/**
 * Recomputes, for every API of a scope after its crawl, the figures the explorer lists and
 * sorts by (allowed VPCs, monthly cost) and the answers page views read as they are stored
 * (the detail snapshot, the cost answer, the policy analysis). It walks the scope a page at
 * a time, with the scope's cost totals summed first, and writes only what differs from
 * what is stored; a policy analysis whose inputs have not changed is not recomputed.
 */
export async function refreshDerivedFigures(
  store: InventoryStore,
  accountId: string,
  region: string,
  prices?: PriceBook,
  options: {
    pageSize?: number;
    /**
     * Re-crawls of named APIs: the scope's cost totals before them. When the totals are
     * still the same, only `apiIds` are refreshed (no other API's figures can have
     * changed); otherwise every API of the scope is.
     */
    only?: { apiIds: string[]; totalsBefore: SharedCostTotals };
    /** Where the policy analyses run (the backend's worker threads); inline by default. */
    policyWork?: PolicyWork;
  } = {},
): Promise<void> {
  const totals = await scopeCostTotals(store, accountId, region);
  if (options.only && sameTotals(options.only.totalsBefore, totals)) {
    const { apiIds } = options.only;
    const pageSize = options.pageSize ?? PAGE_SIZE;
    for (let i = 0; i < apiIds.length; i += pageSize) {
      const items = await store.scopeApis(
        accountId,
        region,
        apiIds.slice(i, i + pageSize),
      );
      const figures = [];
      for (const { api, derived } of items) {
        figures.push(
          await derivedFigures(
            api,
            derived,
            totals,
            prices,
            options.policyWork,
          ),
        );
      }
      await store.writeDerivedFigures(figures);
    }
    return;
  }
  let after: string | undefined;
  do {
    const page = await store.scopeApiPage(accountId, region, {
      after,
      limit: options.pageSize ?? PAGE_SIZE,
    });
    const figures = [];
    for (const [i, { api, derived }] of page.items.entries()) {
      // Let other scopes' answers in between: on a busy machine a page's analyses take long
      // enough for their requests to time out in the meantime.
      if (i > 0 && i % YIELD_EVERY === 0) await setImmediatePromise();
      figures.push(
        await derivedFigures(api, derived, totals, prices, options.policyWork),
      );
    }
    await store.writeDerivedFigures(figures);
    after = page.next;
  } while (after);
}

/**
 * The policy analyses (and allowed-VPC counts) of some APIs just written, computed as the
 * crawl goes rather than after it: they depend on the API alone. Returns the items with
 * what is now stored, so the index can be computed from them at once; the post-crawl
 * derived step then finds the analyses memoized.
 */
export async function analysePolicies(
  store: InventoryStore,
  items: Array<{ api: ApiRecord; derived: StoredDerivedFigures }>,
  /** Where the analyses run (the backend's worker threads); inline by default. */
  policyWork?: PolicyWork,
): Promise<Array<{ api: ApiRecord; derived: StoredDerivedFigures }>> {
  const figures = [];
  const updated = [];
  for (const [i, { api, derived }] of items.entries()) {
    if (i > 0 && i % YIELD_EVERY === 0) await setImmediatePromise();
    const hash = policyAnalysisHash(api);
    if (derived.policyAnalysisHash === hash) {
      updated.push({ api, derived });
      continue;
    }
    const json = await policyAnalysisJson(api, policyWork);
    const count = allowedVpcCount(api, json);
    figures.push({
      apiKey: derived.apiKey,
      allowedVpcCount: count ?? null,
      policyAnalysis: { hash, json },
    });
    updated.push({
      api,
      derived: { ...derived, policyAnalysisHash: hash, allowedVpcCount: count },
    });
  }
  if (figures.length > 0) await store.writeDerivedFigures(figures);
  return updated;
}

/** Equal totals price every API alike (the database returns their rows in any order). */
function sameTotals(a: SharedCostTotals, b: SharedCostTotals): boolean {
  const key = (t: SharedCostTotals) =>
    JSON.stringify([
      t.requestUnits.map(u => `${u.apiType} ${u.units}`).sort(),
      t.vpcLinkUsers.map(u => `${u.vpcLinkId} ${u.apis}`).sort(),
    ]);
  return key(a) === key(b);
}

/** What to write for one API: only what differs from what is stored. */
async function derivedFigures(
  api: ApiRecord,
  derived: StoredDerivedFigures,
  totals: SharedCostTotals,
  prices?: PriceBook,
  policyWork?: PolicyWork,
) {
  const hash = policyAnalysisHash(api);
  const json =
    derived.policyAnalysisHash === hash
      ? undefined
      : await policyAnalysisJson(api, policyWork);
  const count =
    derived.policyAnalysisHash === hash
      ? derived.allowedVpcCount
      : allowedVpcCount(api, json);
  const cost = apiCostAnswer(api, totals, prices);
  const detailJson = JSON.stringify(api);
  const costJson = JSON.stringify(cost);
  return {
    apiKey: derived.apiKey,
    detailJson: detailJson === derived.detailJson ? undefined : detailJson,
    costJson: costJson === derived.costJson ? undefined : costJson,
    monthlyCostUsd:
      cost.estimate.total === derived.monthlyCostUsd
        ? undefined
        : cost.estimate.total,
    allowedVpcCount:
      count === derived.allowedVpcCount ? undefined : count ?? null,
    policyAnalysis:
      derived.policyAnalysisHash === hash ? undefined : { hash, json },
  };
}
