import {
  ApiRecord,
  EstateContext,
  invokeOptions,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { InventoryStore } from '../inventory/InventoryStore';
import { withAccess } from '../inventory/reachable';

const PAGE_SIZE = 200;

/** One API a caller may call, with the URL and command to use from there. */
export interface CallableApi {
  name: string;
  apiId: string;
  accountId: string;
  region: string;
  entityRef: string;
  /** The caller's endpoint the policy lets in. */
  vpcEndpointId: string;
  /** The best way to call it from that endpoint. */
  how?: string;
  url?: string;
  command?: string;
}

/**
 * The private APIs the VPC endpoint, or any endpoint of the VPC, may call, each with the
 * best invoke option from that endpoint. Asks the reverse index the crawl stores (the same
 * answer as `GET /apis?reachableFrom=`), so the work grows with the APIs found, not the estate.
 */
export async function apisCallableFrom(
  store: InventoryStore,
  estate: EstateContext,
  caller: { vpcId?: string; vpcEndpointId?: string },
  entityRefOf: (api: ApiRecord) => string,
): Promise<CallableApi[]> {
  const callerEndpoints = estate.vpcEndpoints.filter(e =>
    caller.vpcEndpointId
      ? e.vpcEndpointId === caller.vpcEndpointId
      : e.vpcId === caller.vpcId,
  );
  if (callerEndpoints.length === 0) return [];
  const resolved = {
    endpoints: callerEndpoints,
    domains: await store.admittingDomains(
      callerEndpoints.map(e => e.vpcEndpointId),
    ),
  };
  const found: CallableApi[] = [];
  let after: string | undefined;
  do {
    const page = await store.listReachableApis({
      reachableFrom: callerEndpoints,
      limit: PAGE_SIZE,
      after,
      count: false,
    });
    for (const summary of withAccess(page.items, resolved, page.reach)) {
      const through: VpcEndpointRecord | undefined = callerEndpoints.find(
        e => e.vpcEndpointId === summary.access?.vpcEndpointId,
      );
      const api =
        through &&
        (await store.getApi(summary.accountId, summary.region, summary.apiId));
      if (!through || !api) continue;
      const [best] = invokeOptions(api, {
        location: 'vpc',
        vpcEndpoint: through,
      });
      found.push({
        name: api.name,
        apiId: api.apiId,
        accountId: api.accountId,
        region: api.region,
        entityRef: entityRefOf(api),
        vpcEndpointId: through.vpcEndpointId,
        how: best?.title,
        url: best?.urls[0]?.url,
        command: best?.command,
      });
    }
    after = page.nextCursor;
  } while (after);
  return found;
}
