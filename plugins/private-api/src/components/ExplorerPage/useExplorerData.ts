import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  CATALOG_FILTER_EXISTS,
} from '@backstage/plugin-catalog-react';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_API_GATEWAY_API_ID,
  ApiSummary,
} from '@private-api-catalog/plugin-private-api-common';
import { ListApisQuery, privateApiApiRef } from '../../api';

const PAGE_SIZE = 1000;

/** Every API matching the query: the backend pages at 1000 at most (keyset pages). */
export function useAllApis(query: ListApisQuery) {
  const client = useApi(privateApiApiRef);
  const key = JSON.stringify(query);
  return useAsyncRetry(async () => {
    const items: ApiSummary[] = [];
    let after: string | undefined;
    do {
      const page = await client.listApis({ ...query, limit: PAGE_SIZE, after });
      items.push(...page.items);
      after = page.nextCursor;
    } while (after);
    return items;
    // The query's content, not its identity, decides when to load again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key]);
}

/** The estate's VPCs and execute-api endpoints, for the "Callable from" picker. */
export function useEstate() {
  const client = useApi(privateApiApiRef);
  return useAsync(() => client.getEstate(), [client]);
}

export function useScopes() {
  const client = useApi(privateApiApiRef);
  return useAsyncRetry(async () => (await client.listScopes()).items, [client]);
}

/**
 * The owner of each discovered API as the catalog has it (`group:default/team-payments`),
 * by entity name: the owner tag when set, else the discovery default, as on the entity page.
 */
export function useCatalogOwners() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'API',
        [`metadata.annotations.${ANNOTATION_API_GATEWAY_API_ID}`]:
          CATALOG_FILTER_EXISTS,
      },
      fields: ['metadata.name', 'spec.owner'],
    });
    const owners = new Map<string, string>();
    for (const entity of items) {
      const owner = entity.spec?.owner;
      if (typeof owner !== 'string' || !owner) continue;
      owners.set(
        entity.metadata.name,
        stringifyEntityRef(
          parseEntityRef(owner, {
            defaultKind: 'Group',
            defaultNamespace: 'default',
          }),
        ),
      );
    }
    return owners;
  }, [catalogApi]);
}
