import { InputError, NotFoundError } from '@backstage/errors';
import { ApiRecord } from '@private-api-catalog/plugin-private-api-common';
import { InventoryStore } from '../inventory/InventoryStore';

/** How an action names an API: its id, catalog entity name or ref, and where to look. */
export interface ApiReference {
  api: string;
  accountId?: string;
  region?: string;
}

/**
 * The API an action input names. Accepts the API id (`a1b2c3d4e5`), the catalog entity
 * name (`payments-api-a1b2c3d4e5`) or ref (`api:default/payments-api-a1b2c3d4e5`); the
 * account and Region narrow the search when an id exists in several places.
 */
export async function resolveApi(
  store: InventoryStore,
  ref: ApiReference,
): Promise<ApiRecord> {
  const name = ref.api
    .trim()
    .replace(/^api:/i, '')
    .split('/')
    .pop()!
    .toLowerCase();
  const apiId = name.split('-').pop()!;
  if (ref.accountId && ref.region) {
    const api = await store.getApi(ref.accountId, ref.region, apiId);
    if (api) return api;
  }
  const { items } = await store.listApis({
    accountId: ref.accountId,
    region: ref.region,
    text: apiId,
    limit: 1000,
  });
  const matches = items.filter(
    a => a.apiId === apiId && (name === apiId || a.entityName === name),
  );
  if (matches.length === 0) {
    throw new NotFoundError(
      `No API ${ref.api} in the inventory${
        ref.accountId ? ` of account ${ref.accountId}` : ''
      }${
        ref.region ? ` in ${ref.region}` : ''
      }: give an API id or a catalog entity name (apis-callable-from lists what a VPC can call)`,
    );
  }
  if (matches.length > 1) {
    throw new InputError(
      `${ref.api} names ${matches.length} APIs (${matches
        .map(a => `${a.accountId}/${a.region}`)
        .join(', ')}): add accountId and region`,
    );
  }
  const [match] = matches;
  const api = await store.getApi(match.accountId, match.region, match.apiId);
  if (!api) {
    throw new NotFoundError(`API ${ref.api} left the inventory just now`);
  }
  return api;
}
