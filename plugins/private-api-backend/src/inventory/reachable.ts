/**
 * "What can this VPC (or VPC endpoint) call, and how?": resolves the caller to the execute-api
 * endpoints of the estate, and tells each listed API how those endpoints get in and which URL
 * to use from there. The list itself is the stored reverse index (InventoryStore.listApis).
 */
import { InputError } from '@backstage/errors';
import {
  ApiSummary,
  AWS_ID_PATTERNS,
  callerInvokeUrl,
  CallerAccessSummary,
  DomainRecord,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { apiKey } from '../discovery/normalize';
import type { InventoryStore } from './InventoryStore';
import type { ReachFacts } from './types';
import { UNNAMED_CALLER } from './reverseIndex';

const NOTHING_YET =
  'The inventory has no execute-api VPC endpoint yet: run discovery first.';

/** At most this many known ids are named in an error. */
const KNOWN_SHOWN = 20;

function describe(
  items: Array<{ id: string; name?: string; region: string }>,
): string {
  const shown = items
    .slice(0, KNOWN_SHOWN)
    .map(
      i => `${i.id}${i.name ? ` (${i.name}, ${i.region})` : ` (${i.region})`}`,
    )
    .join(', ');
  return items.length > KNOWN_SHOWN
    ? `${shown} and ${items.length - KNOWN_SHOWN} more`
    : shown;
}

/** A caller's execute-api endpoints, and the private custom domains that let them in. */
export interface ResolvedCaller {
  endpoints: VpcEndpointRecord[];
  domains: AdmittingDomain[];
}

/** A private custom domain that lets `caller` (an endpoint id) in. */
export type AdmittingDomain = { caller: string; domain: DomainRecord };

/**
 * The execute-api endpoints a `reachableFrom` id stands for (the endpoint itself, or every
 * endpoint in the VPC), with the domains that let them in. An id the inventory does not know
 * is a 400 that names what it knows.
 */
export async function resolveCaller(
  store: InventoryStore,
  id: string,
): Promise<ResolvedCaller> {
  const isVpce = AWS_ID_PATTERNS.vpcEndpointId.test(id);
  const isVpc = AWS_ID_PATTERNS.vpcId.test(id);
  if (!isVpce && !isVpc) {
    throw new InputError(
      `Invalid reachableFrom: "${id}" is neither a VPC id (vpc- followed by 8 or 17 hexadecimal digits) nor a VPC endpoint id (vpce-…)`,
    );
  }
  const found = await store.callerEndpoints(
    isVpce ? { vpcEndpointId: id } : { vpcId: id },
  );
  if (found.length > 0) {
    return {
      endpoints: found.map(f => f.endpoint),
      domains: await store.domainsByKey(
        found.flatMap(f =>
          f.domainKeys.map(domainKey => ({
            caller: f.endpoint.vpcEndpointId,
            domainKey,
          })),
        ),
      ),
    };
  }
  if (isVpce) {
    const known = await store.listVpcEndpoints();
    const what = known.length
      ? `Known endpoints: ${describe(
          known.map(e => ({
            id: e.vpcEndpointId,
            name: e.name,
            region: e.region,
          })),
        )}.`
      : NOTHING_YET;
    throw new InputError(
      `Unknown reachableFrom: ${id} is not an execute-api VPC endpoint of the inventory. ${what}`,
    );
  }
  const vpcs = await store.listVpcs();
  const what = vpcs.length
    ? `VPCs with one: ${describe(
        vpcs.map(v => ({ id: v.vpcId, name: v.name, region: v.region })),
      )}.`
    : NOTHING_YET;
  throw new InputError(
    `Unknown reachableFrom: ${id} has no execute-api VPC endpoint in the inventory, so it can call no private API (create an interface endpoint for com.amazonaws.{region}.execute-api in it). ${what}`,
  );
}

const ADMITTED = new Set(['allowed', 'signed-only']);

/**
 * Adds to each listed API how the caller's endpoints get in (anonymous first) and the URL to
 * use from the endpoint chosen. `reach` comes with the page (InventoryStore.listReachableApis),
 * `domains` with the caller (resolveCaller, or InventoryStore.admittingDomains).
 */
export function withAccess(
  items: ApiSummary[],
  { endpoints, domains }: ResolvedCaller,
  reach: Map<string, ReachFacts>,
): ApiSummary[] {
  const keys = items.map(a => apiKey(a.accountId, a.region, a.apiId));
  return items.map((api, i) => {
    const key = keys[i];
    const fact = reach.get(key);
    const rows = fact?.admissions ?? [];
    const star = rows.find(r => r.caller === UNNAMED_CALLER);
    const candidates = endpoints
      .filter(e => e.region === api.region)
      .map(endpoint => ({
        endpoint,
        admission: rows.find(r => r.caller === endpoint.vpcEndpointId) ?? star,
      }))
      .filter(c => c.admission && ADMITTED.has(c.admission.verdict))
      .sort(
        (a, b) =>
          Number(b.admission!.verdict === 'allowed') -
          Number(a.admission!.verdict === 'allowed'),
      );
    const chosen = candidates[0];
    if (!chosen) return api;
    const through = domains
      .filter(d => d.caller === chosen.endpoint.vpcEndpointId)
      .flatMap(d =>
        d.domain.mappings
          .filter(
            m => m.apiId === api.apiId && d.domain.accountId === api.accountId,
          )
          .map(m => ({
            domainName: d.domain.domainName,
            basePath: m.basePath,
          })),
      );
    const url = fact
      ? callerInvokeUrl({
          apiId: api.apiId,
          region: api.region,
          partition: fact.partition,
          apiType: api.apiType,
          stage: fact.firstStage,
          vpcEndpointIds: fact.vpcEndpointIds,
          disableExecuteApiEndpoint: fact.disableExecuteApiEndpoint,
          endpoint: chosen.endpoint,
          domains: through,
        })
      : undefined;
    const access: CallerAccessSummary = {
      vpcEndpointId: chosen.endpoint.vpcEndpointId,
      vpcId: chosen.endpoint.vpcId,
      verdict: chosen.admission!.verdict as CallerAccessSummary['verdict'],
      principals: chosen.admission!.principals,
      reason: chosen.admission!.reason,
      ...(url
        ? { invokeUrl: url.url, headers: url.headers, via: url.via }
        : {}),
    };
    return { ...api, access };
  });
}
