import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  CATALOG_FILTER_EXISTS,
} from '@backstage/plugin-catalog-react';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ANNOTATION_API_GATEWAY_API_ID } from '@private-api-catalog/plugin-private-api-common';
import { privateApiApiRef } from '../../api';

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
 * The owners of the discovered APIs as the catalog has them (`group:default/team-payments`),
 * for the owner filter: a facet of the catalog's API entities, not the entities themselves.
 */
export function useOwnerChoices() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const { facets } = await catalogApi.getEntityFacets({
      filter: {
        kind: 'API',
        [`metadata.annotations.${ANNOTATION_API_GATEWAY_API_ID}`]:
          CATALOG_FILTER_EXISTS,
      },
      facets: ['spec.owner'],
    });
    const refs = (facets['spec.owner'] ?? []).map(({ value }) =>
      stringifyEntityRef(
        parseEntityRef(value, {
          defaultKind: 'Group',
          defaultNamespace: 'default',
        }),
      ),
    );
    return [...new Set(refs)].sort();
  }, [catalogApi]);
}
