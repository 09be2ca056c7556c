import {
  ApiRecord,
  EstateContext,
  invokeOptions,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import { InventoryStore } from '../inventory/InventoryStore';
import { admittedCallers } from '../search/admittedCallers';

/** Every API of the inventory, a scope and a page at a time. */
export async function* allApis(
  store: InventoryStore,
  pageSize = 200,
): AsyncGenerator<ApiRecord> {
  for (const scope of await store.listScopes()) {
    for (let offset = 0; ; offset += pageSize) {
      const page = await store.listScopeApis(scope.accountId, scope.region, {
        limit: pageSize,
        offset,
      });
      for (const { api } of page) yield api;
      if (page.length < pageSize) break;
    }
  }
}

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
 * best invoke option from that endpoint. Uses the same admitted-callers answer as search.
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
  const found: CallableApi[] = [];
  for await (const api of allApis(store)) {
    const admitted = admittedCallers(api, estate);
    const through: VpcEndpointRecord | undefined = callerEndpoints.find(e =>
      admitted.vpcEndpointIds.includes(e.vpcEndpointId),
    );
    if (!through) continue;
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
  return found;
}
