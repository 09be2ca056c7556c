import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { AccessRequest } from '@private-api-catalog/plugin-private-api-common';
import {
  accessRequestsApiRef,
  ListAccessRequestsQuery,
} from '../../api/AccessRequestsClient';

/** Requests to show, and what this user may do with each. */
export interface AccessRequestsView {
  requests: AccessRequest[];
  /** Requests this user may approve, reject and apply (the backend's permission decision). */
  decidable: Set<string>;
  userEntityRef: string;
}

/** Loads a list of requests with the user's identity and the ones the user may decide on. */
export function useAccessRequests(query: ListAccessRequestsQuery) {
  const client = useApi(accessRequestsApiRef);
  const identityApi = useApi(identityApiRef);
  const { view, accountId, region, apiId, state } = query;
  return useAsyncRetry(async (): Promise<AccessRequestsView> => {
    const filter = { accountId, region, apiId, state };
    const [requests, decidable, identity] = await Promise.all([
      client.list({ ...filter, view }),
      client.list({ ...filter, view: 'approvals' }),
      identityApi.getBackstageIdentity(),
    ]);
    return {
      requests,
      decidable: new Set(decidable.map(r => r.id)),
      userEntityRef: identity.userEntityRef,
    };
  }, [client, identityApi, view, accountId, region, apiId, state]);
}
