/**
 * The reverse index ("what can VPC X call?"), computed at crawl time and stored: for every
 * private REST API and private custom domain, the verdict of its policy for each execute-api
 * VPC endpoint of its Region (any account), and for endpoints the policy does not name.
 *
 * Only answers that differ from the "endpoints it does not name" answer are stored per
 * endpoint, so an API open to any endpoint costs one row, not one per endpoint.
 * An API is recomputed only when what its answer depends on changed: its policy and record,
 * or the set of endpoints in its Region.
 */
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import {
  admits,
  ApiRecord,
  CallerAdmission,
  CallerEndpointIndex,
  domainAdmissions,
  DomainRecord,
  policyCallersIn,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { apiKey } from '../discovery/normalize';
import type { InventoryStore } from './InventoryStore';
import type { StoredDerivedFigures } from './types';
import type { PolicyWork } from '../policyWork/PolicyWork';
import { searchDocument } from './search';

/** The caller of a row that stands for every endpoint the policy does not name. */
export const UNNAMED_CALLER = '*';

/** One stored verdict. */
export interface CallerRow {
  targetKey: string;
  targetKind: 'api' | 'domain';
  region: string;
  /** A vpce id, or `*`. */
  caller: string;
  vpcId?: string;
  verdict: CallerAdmission['verdict'];
  principals: string[];
  reason: string;
}

/**
 * - `any`: endpoints the policy does not name get in (open to any endpoint);
 * - `listed`: only the VPCs and endpoints it names;
 * - `none`: no endpoint gets in;
 * - `unknown`: the policy cannot be evaluated.
 */
export type CallerAccess = 'any' | 'listed' | 'none' | 'unknown';

/** What the index stores on an API's row and beside it. */
export interface ApiIndexEntry {
  apiKey: string;
  hash: string;
  /** The hash of the Region's endpoints the entry was computed with. */
  endpointsHash: string;
  callerAccess?: CallerAccess;
  crossAccount: boolean;
  hasPolicy: boolean;
  tags: Record<string, string>;
  searchText: string;
  callers: CallerRow[];
}

/** The key of a private custom domain's rows. */
export function domainTargetKey(domain: DomainRecord): string {
  const qualified = domain.domainNameId
    ? `${domain.domainName}+${domain.domainNameId}`
    : domain.domainName;
  return `domain:${domain.accountId}:${domain.region}:${qualified}`;
}

function sha1(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex');
}

/** Identifies the endpoints of a Region: when it changes, every answer there is recomputed. */
export function endpointsHash(endpoints: VpcEndpointRecord[]): string {
  return sha1(
    endpoints
      .map(e => `${e.vpcEndpointId}|${e.vpcId}|${e.ownerAccountId}`)
      .sort(),
  );
}

/** The APIs whose policy decides which VPC endpoints get in: the only ones with index rows. */
export function isPrivateRest(
  api: Pick<ApiRecord, 'apiType' | 'endpointType'>,
) {
  return api.apiType === 'REST' && api.endpointType === 'PRIVATE';
}

function names12DigitOtherThan(label: string, accountId: string): boolean {
  if (label.includes('any account')) return true;
  return (label.match(/\d{12}/g) ?? []).some(a => a !== accountId);
}

/** Can callers of another account get in? */
function crossAccount(
  api: ApiRecord,
  unnamed: CallerAdmission,
  admitted: Array<{ endpoint: VpcEndpointRecord; admission: CallerAdmission }>,
): boolean {
  const otherPrincipal = (a: CallerAdmission) =>
    a.principals.some(p => names12DigitOtherThan(p, api.accountId));
  if (unnamed.verdict === 'allowed') return true;
  if (unnamed.verdict === 'signed-only' && otherPrincipal(unnamed)) return true;
  return admitted.some(
    ({ endpoint, admission }) =>
      (admission.verdict === 'allowed' &&
        endpoint.ownerAccountId !== api.accountId) ||
      otherPrincipal(admission),
  );
}

/** Each endpoint of the index with its answer, in the index's order. */
function everyAnswer<E extends VpcEndpointRecord>(
  index: CallerEndpointIndex<E>,
  unnamed: CallerAdmission,
  named: Array<{ endpoint: E; admission: CallerAdmission }>,
): Array<{ endpoint: E; admission: CallerAdmission }> {
  const byEndpoint = new Map(named.map(n => [n.endpoint, n.admission]));
  return index.all.map(endpoint => ({
    endpoint,
    admission: byEndpoint.get(endpoint) ?? unnamed,
  }));
}

/**
 * The index entry of one API. `endpoints` are the execute-api endpoints of its Region (an
 * index of them, built once per Region, keeps the work proportional to the endpoints the
 * policy names); `namedAllowedCount` the VPCs and endpoints its policy names as allowed (the
 * explorer's count).
 */
/**
 * What an API's index entry depends on: when it equals the stored hash, the entry is
 * unchanged and need not be computed again.
 */
export function indexInputsHash(
  api: ApiRecord,
  regionHash: string,
  namedAllowedCount?: number,
): string {
  return sha1({
    regionHash,
    namedAllowedCount,
    api: { ...api, traffic: undefined },
  });
}

export function indexApi(
  api: ApiRecord,
  endpoints: VpcEndpointRecord[] | CallerEndpointIndex<VpcEndpointRecord>,
  regionHash: string,
  namedAllowedCount?: number,
  hash = indexInputsHash(api, regionHash, namedAllowedCount),
): ApiIndexEntry {
  const key = apiKey(api.accountId, api.region, api.apiId);
  if (!isPrivateRest(api)) {
    return {
      apiKey: key,
      hash,
      endpointsHash: regionHash,
      crossAccount: false,
      hasPolicy: !!api.policy?.trim(),
      tags: api.tags,
      searchText: searchDocument(api),
      callers: [],
    };
  }
  const index =
    endpoints instanceof CallerEndpointIndex
      ? endpoints
      : new CallerEndpointIndex(endpoints);
  const { unnamed, named } = policyCallersIn(
    api.policy,
    api.executeApiArn,
    index,
  );
  const row = (
    caller: string,
    admission: CallerAdmission,
    vpcId?: string,
  ): CallerRow => ({
    targetKey: key,
    targetKind: 'api',
    region: api.region,
    caller,
    vpcId,
    verdict: admission.verdict,
    principals: admission.principals,
    reason: admission.reason,
  });
  const callers = [row(UNNAMED_CALLER, unnamed)];
  const admitted: Array<{
    endpoint: VpcEndpointRecord;
    admission: CallerAdmission;
  }> = [];
  // Endpoints missing from `named` get the unnamed answer: visit them all only when that
  // answer lets them in (their ids go into the search document).
  const answers = admits(unnamed) ? everyAnswer(index, unnamed, named) : named;
  for (const { endpoint, admission } of answers) {
    if (admits(admission)) admitted.push({ endpoint, admission });
    const same =
      admission.verdict === unnamed.verdict &&
      admission.principals.join('\n') === unnamed.principals.join('\n');
    if (!same)
      callers.push(row(endpoint.vpcEndpointId, admission, endpoint.vpcId));
  }
  let callerAccess: CallerAccess = 'none';
  if (admits(unnamed)) callerAccess = 'any';
  else if (admitted.length > 0 || (namedAllowedCount ?? 0) > 0)
    callerAccess = 'listed';
  else if (
    unnamed.verdict === 'unknown' ||
    named.some(n => n.admission.verdict === 'unknown')
  )
    callerAccess = 'unknown';
  return {
    apiKey: key,
    hash,
    endpointsHash: regionHash,
    callerAccess,
    crossAccount: crossAccount(api, unnamed, admitted),
    hasPolicy: !!api.policy?.trim(),
    tags: api.tags,
    searchText: searchDocument(
      api,
      admitted.map(a => a.endpoint),
    ),
    callers,
  };
}

/** The rows of a private custom domain: its own answer (policy and association) per endpoint. */
export function indexDomain(
  domain: DomainRecord,
  endpoints: VpcEndpointRecord[],
  partition = 'aws',
): CallerRow[] {
  if (domain.endpointType !== 'PRIVATE') return [];
  const admissions = domainAdmissions(domain, endpoints, partition);
  return endpoints
    .map((endpoint, i) => ({ endpoint, admission: admissions[i] }))
    .filter(({ admission }) => admission.verdict !== 'denied')
    .map(({ endpoint, admission }) => ({
      targetKey: domainTargetKey(domain),
      targetKind: 'domain' as const,
      region: domain.region,
      caller: endpoint.vpcEndpointId,
      vpcId: endpoint.vpcId,
      verdict: admission.verdict,
      principals: [],
      reason: admission.reason,
    }));
}

const PAGE_SIZE = 200;
/** APIs evaluated between two turns of the event loop. */
const YIELD_EVERY = 10;

/** The execute-api VPC endpoints of a Region (every account), indexed once for many APIs. */
export interface RegionEndpoints {
  endpoints: VpcEndpointRecord[];
  hash: string;
  index: CallerEndpointIndex<VpcEndpointRecord>;
  /** The endpoints as text, for the worker threads (each indexes them once per Region). */
  json?: string;
}

export async function regionEndpoints(
  store: InventoryStore,
  region: string,
): Promise<RegionEndpoints> {
  // An endpoint id is unique in AWS; two scopes may still list one while one of them is stale.
  const endpoints = [
    ...new Map(
      (await store.listVpcEndpoints({ region })).map(e => [e.vpcEndpointId, e]),
    ).values(),
  ];
  return {
    endpoints,
    hash: endpointsHash(endpoints),
    index: new CallerEndpointIndex(endpoints),
  };
}

/**
 * Brings the index entries of some APIs up to date with the Region's endpoints: those
 * whose inputs' hash is unchanged are not evaluated again (only re-stamped with the
 * endpoints hash when it is missing). Returns how many were evaluated.
 */
export async function indexApis(
  store: InventoryStore,
  items: Array<{ api: ApiRecord; derived: StoredDerivedFigures }>,
  region: RegionEndpoints,
  /**
   * Where the APIs' verdicts are computed: the backend's worker threads (a large policy
   * takes seconds). Default on the event loop, yielding between APIs.
   */
  policyWork?: PolicyWork,
): Promise<number> {
  const changed: ApiIndexEntry[] = [];
  for (const [i, { api, derived }] of items.entries()) {
    // Other scopes' answers get in between (see refreshDerivedFigures).
    if (i > 0 && i % YIELD_EVERY === 0) await setImmediatePromise();
    const hash = indexInputsHash(api, region.hash, derived.allowedVpcCount);
    if (hash === derived.callersHash) {
      if (derived.callersEndpointsHash !== region.hash) {
        await store.stampIndexEntry(derived.apiKey, region.hash);
      }
      continue;
    }
    changed.push(
      policyWork
        ? await policyWork.run(
            'indexApiEntry',
            api,
            (region.json ??= JSON.stringify(region.endpoints)),
            region.hash,
            derived.allowedVpcCount,
            hash,
          )
        : indexApi(
            api,
            region.index,
            region.hash,
            derived.allowedVpcCount,
            hash,
          ),
    );
  }
  await store.writeIndexEntries(changed);
  return changed.length;
}

/**
 * Brings the stored reverse index and search documents of a crawled scope up to date: the
 * APIs of the scope whose inputs changed, and the APIs of the Region (every account)
 * whose entries were computed with other endpoints (an endpoint of one account can call the
 * APIs of every other account there). Those are found by their stored endpoints hash, so
 * when every scope of a run finishes at once, none re-reads the others' APIs.
 * Returns how many APIs were recomputed.
 */
export async function refreshEstateIndex(
  store: InventoryStore,
  scope: { accountId: string; region: string },
  options: {
    /**
     * The only APIs of the scope whose inputs may have changed (the others were indexed as
     * they were crawled); by default, every API of the scope is checked.
     */
    onlyApiIds?: string[];
    /** Where the APIs' verdicts are computed (see `indexApis`). */
    policyWork?: PolicyWork;
  } = {},
): Promise<{ recomputed: number }> {
  const { region } = scope;
  const endpoints = await regionEndpoints(store, region);
  let recomputed = 0;
  // A page at a time in key order, each API with its stored hash: memory does not grow
  // with the scope.
  const walk = async (
    pageAfter: (after?: string) => ReturnType<InventoryStore['scopeApiPage']>,
  ) => {
    let after: string | undefined;
    do {
      const page = await pageAfter(after);
      recomputed += await indexApis(
        store,
        page.items,
        endpoints,
        options.policyWork,
      );
      after = page.next;
    } while (after);
  };
  if (options.onlyApiIds) {
    for (let i = 0; i < options.onlyApiIds.length; i += PAGE_SIZE) {
      const items = await store.scopeApis(
        scope.accountId,
        region,
        options.onlyApiIds.slice(i, i + PAGE_SIZE),
      );
      recomputed += await indexApis(
        store,
        items,
        endpoints,
        options.policyWork,
      );
    }
  } else {
    await walk(after =>
      store.scopeApiPage(scope.accountId, region, { after, limit: PAGE_SIZE }),
    );
  }
  // Then every entry of the Region, this scope's included, computed with other endpoints.
  await walk(after =>
    store.staleIndexPage(region, endpoints.hash, { after, limit: PAGE_SIZE }),
  );
  const previousHash = await store.getIndexedEndpointsHash(region);
  const accounts =
    previousHash === endpoints.hash
      ? [scope.accountId]
      : await store.listIndexedAccounts(region, scope.accountId);
  for (const accountId of accounts) {
    const domains = await store.listDomains(accountId, region);
    const rows: CallerRow[] = [];
    for (const domain of domains) {
      // One decision per associated endpoint: tens of milliseconds for a large policy
      // associated with hundreds of endpoints (bench/policy), so on the threads too.
      rows.push(
        ...(options.policyWork
          ? await options.policyWork.run(
              'indexDomainEntry',
              domain,
              (endpoints.json ??= JSON.stringify(endpoints.endpoints)),
              endpoints.hash,
            )
          : indexDomain(domain, endpoints.endpoints)),
      );
    }
    await store.replaceDomainCallers(accountId, region, rows);
  }
  await store.pruneIndex(region);
  await store.setIndexedEndpointsHash(region, endpoints.hash);
  return { recomputed };
}
