import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessRequest,
  AccessRequestState,
  CreateAccessRequest,
  PRIVATE_API_PLUGIN_ID,
  ProposedChange,
} from '@private-api-catalog/plugin-private-api-common';

/**
 * Which requests to list: the user's own, those the user may approve, or every one the
 * user may see; optionally for one API or in one state.
 *
 * @public
 */
export interface ListAccessRequestsQuery {
  view?: 'mine' | 'approvals' | 'all';
  accountId?: string;
  region?: string;
  apiId?: string;
  state?: AccessRequestState;
  kind?: 'grant' | 'revoke';
  /** Page size, 1 to 200; the backend's default is 50. */
  limit?: number;
}

/**
 * The self-service VPC access requests of the private-api backend.
 *
 * @public
 */
export interface AccessRequestsApi {
  list(query?: ListAccessRequestsQuery): Promise<AccessRequest[]>;
  get(id: string): Promise<AccessRequest>;
  create(request: CreateAccessRequest): Promise<AccessRequest>;
  /** The policy change approval would make to the API's current policy. */
  preview(id: string): Promise<ProposedChange>;
  approve(id: string, comment?: string): Promise<AccessRequest>;
  reject(id: string, reason: string): Promise<AccessRequest>;
  /** Applies an approved request to AWS (direct mode); resolves with the request after the attempt. */
  apply(id: string): Promise<AccessRequest>;
  cancel(id: string): Promise<AccessRequest>;
  /**
   * Re-crawls the request's API now (a scoped discovery of its account and Region) and
   * resolves with the request as it then is: verified when the policy admits the caller.
   */
  verify(id: string): Promise<AccessRequest>;
}

/** @public */
export const accessRequestsApiRef = createApiRef<AccessRequestsApi>({
  id: 'plugin.private-api.access-requests',
});

/**
 * Calls the backend with the user's Backstage token (fetchApi); a failed response becomes a
 * `ResponseError` whose message is the backend's explanation.
 *
 * @public
 */
export class AccessRequestsClient implements AccessRequestsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async call<T>(
    path: string,
    init?: { method: 'POST'; body?: object },
  ): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(
      PRIVATE_API_PLUGIN_ID,
    );
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init?.method ?? 'GET',
      ...(init
        ? {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(init.body ?? {}),
          }
        : {}),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  async list(query: ListAccessRequestsQuery = {}): Promise<AccessRequest[]> {
    // The newest 200 (the backend pages by cursor; these lists show the recent ones).
    const params = new URLSearchParams(
      Object.entries({ limit: 200, ...query })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    const suffix = params.toString() ? `?${params}` : '';
    return (
      await this.call<{ items: AccessRequest[] }>(`/access-requests${suffix}`)
    ).items;
  }

  get(id: string) {
    return this.call<AccessRequest>(
      `/access-requests/${encodeURIComponent(id)}`,
    );
  }

  create(request: CreateAccessRequest) {
    return this.call<AccessRequest>('/access-requests', {
      method: 'POST',
      body: request,
    });
  }

  preview(id: string) {
    return this.call<ProposedChange>(
      `/access-requests/${encodeURIComponent(id)}/preview`,
    );
  }

  approve(id: string, comment?: string) {
    return this.call<AccessRequest>(
      `/access-requests/${encodeURIComponent(id)}/approve`,
      {
        method: 'POST',
        body: comment ? { comment } : {},
      },
    );
  }

  reject(id: string, reason: string) {
    return this.call<AccessRequest>(
      `/access-requests/${encodeURIComponent(id)}/reject`,
      {
        method: 'POST',
        body: { reason },
      },
    );
  }

  apply(id: string) {
    return this.call<AccessRequest>(
      `/access-requests/${encodeURIComponent(id)}/apply`,
      { method: 'POST' },
    );
  }

  cancel(id: string) {
    return this.call<AccessRequest>(
      `/access-requests/${encodeURIComponent(id)}/cancel`,
      { method: 'POST' },
    );
  }

  verify(id: string) {
    return this.call<AccessRequest>(
      `/access-requests/${encodeURIComponent(id)}/verify`,
      { method: 'POST' },
    );
  }
}
