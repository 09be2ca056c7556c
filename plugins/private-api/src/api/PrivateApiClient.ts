import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApiCallersResponse,
  ApiCostResponse,
  ApiDetailsResponse,
  ApiListResponse,
  ApiListSort,
  ApiType,
  DiscoveryStatusResponse,
  EndpointType,
  EstateResponse,
  PRIVATE_API_PLUGIN_ID,
  ScopeListResponse,
  VpcEndpointListResponse,
} from '@private-api-catalog/plugin-private-api-common';

/** Health of the private-api backend. */
export interface PrivateApiHealth {
  status: string;
}

/**
 * Where one API lives: the key of every per-API request.
 *
 * @public
 */
export interface PrivateApiLocator {
  accountId: string;
  region: string;
  apiId: string;
}

/**
 * Filters of `GET /apis`; every one is optional.
 *
 * @public
 */
export interface ListApisQuery {
  accountId?: string;
  region?: string;
  apiType?: ApiType;
  endpointType?: EndpointType;
  /**
   * The owner the catalog gives the API (owner tag, else the backend's default owner), as an
   * entity ref (`group:default/team-payments`) or a name.
   */
  owner?: string;
  /** Only APIs with a route of this authorization type. */
  authorization?: 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'JWT';
  /**
   * Words that each begin a word of the API's name, id, routes, Lambda functions,
   * integration hosts, load balancers, VPC and endpoint ids or domains.
   */
  q?: string;
  /** A VPC (`vpc-…`) or VPC endpoint (`vpce-…`) id: only the private APIs it may call. */
  reachableFrom?: string;
  /** Only APIs without a resource policy. */
  noPolicy?: boolean;
  /** Only private APIs open to any VPC endpoint. */
  openToAnyEndpoint?: boolean;
  /** Only APIs callers of another account can get into. */
  crossAccount?: boolean;
  /** Only APIs whose account and Region's last crawl failed. */
  stale?: boolean;
  /** 1 to 1000; the backend's default is 100. */
  limit?: number;
  offset?: number;
  /** The `nextCursor` of the previous page (of the same sort and order). */
  after?: string;
  /** The order of the list; by name when unset. */
  sort?: ApiListSort;
  order?: 'asc' | 'desc';
  /**
   * true: the count of every match and the sum of their monthly costs (`totalCount`,
   * `monthlyCostTotalUsd`, `pricedCount`), on any page; false: neither. Unset: the count
   * on a first page only.
   */
  totals?: boolean;
}

/**
 * The frontend's view of the private-api backend's REST API (`/api/private-api`).
 *
 * @public
 */
export interface PrivateApiApi {
  getHealth(): Promise<PrivateApiHealth>;
  /** One page of the discovered APIs, with the total count of those matching. */
  listApis(query?: ListApisQuery): Promise<ApiListResponse>;
  /** Everything stored about one API, with the crawl status of its account and Region. */
  getApiDetails(api: PrivateApiLocator): Promise<ApiDetailsResponse>;
  /** The exported OpenAPI document, as the JSON text API Gateway returned. */
  getApiDefinition(api: PrivateApiLocator): Promise<string>;
  /**
   * The API's monthly cost, priced with its account and Region's shared request tiers and
   * the backend's price tables (config overrides included).
   */
  getApiCost(api: PrivateApiLocator): Promise<ApiCostResponse>;
  /** Every account, execute-api VPC endpoint and VPC of the estate. */
  getEstate(): Promise<EstateResponse>;
  listVpcEndpoints(query?: {
    vpcId?: string;
    region?: string;
  }): Promise<VpcEndpointListResponse>;
  /**
   * The reverse index for one API: the VPC endpoints of the estate its resource policy lets
   * in (anonymous or the signed principals named), and the answer for the others.
   */
  getApiCallers(api: PrivateApiLocator): Promise<ApiCallersResponse>;
  /** Crawl status of every account and Region. */
  listScopes(): Promise<ScopeListResponse>;
  /** Starts a discovery run (permission `private-api.discovery.refresh`). */
  refresh(): Promise<void>;
  /** Whether discovery runs, when it last ran and when it runs next (an estimate). */
  getDiscoveryStatus(): Promise<DiscoveryStatusResponse>;
}

/** @public */
export const privateApiApiRef = createApiRef<PrivateApiApi>({
  id: 'plugin.private-api.service',
});

function apiPath({ accountId, region, apiId }: PrivateApiLocator): string {
  return `/apis/${[accountId, region, apiId]
    .map(encodeURIComponent)
    .join('/')}`;
}

function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Calls the backend through the discovery and fetch APIs, so the user's Backstage token
 * goes with every request; a failed response becomes a `ResponseError`.
 *
 * Identical GETs that are in flight at the same time share one request: cards placed on
 * their own on one entity page ask for the same API at once.
 *
 * @public
 */
export class PrivateApiClient implements PrivateApiApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<PrivateApiHealth> {
    return this.getJson<PrivateApiHealth>('/health');
  }

  async listApis(query: ListApisQuery = {}): Promise<ApiListResponse> {
    return this.getJson<ApiListResponse>(`/apis${queryString(query)}`);
  }

  async getApiDetails(api: PrivateApiLocator): Promise<ApiDetailsResponse> {
    return this.getJson<ApiDetailsResponse>(apiPath(api));
  }

  async getApiCost(api: PrivateApiLocator): Promise<ApiCostResponse> {
    return this.getJson<ApiCostResponse>(`${apiPath(api)}/cost`);
  }

  async getApiDefinition(api: PrivateApiLocator): Promise<string> {
    return this.dedupe(`${apiPath(api)}/definition`, async path =>
      (await this.request(path)).text(),
    );
  }

  async getEstate(): Promise<EstateResponse> {
    return this.getJson<EstateResponse>('/estate');
  }

  async listVpcEndpoints(
    query: { vpcId?: string; region?: string } = {},
  ): Promise<VpcEndpointListResponse> {
    return this.getJson<VpcEndpointListResponse>(
      `/vpc-endpoints${queryString(query)}`,
    );
  }

  async getApiCallers(api: PrivateApiLocator): Promise<ApiCallersResponse> {
    return this.getJson<ApiCallersResponse>(`${apiPath(api)}/callers`);
  }

  async listScopes(): Promise<ScopeListResponse> {
    return this.getJson<ScopeListResponse>('/scopes');
  }

  async refresh(): Promise<void> {
    await this.request('/refresh', { method: 'POST' });
  }

  async getDiscoveryStatus(): Promise<DiscoveryStatusResponse> {
    return this.getJson<DiscoveryStatusResponse>('/discovery/status');
  }

  private getJson<T>(path: string): Promise<T> {
    return this.dedupe(
      path,
      async p => (await (await this.request(p)).json()) as T,
    );
  }

  private dedupe<T>(path: string, load: (p: string) => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(path);
    if (pending) return pending as Promise<T>;
    const promise = load(path).finally(() => this.inFlight.delete(path));
    this.inFlight.set(path, promise);
    return promise;
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl(PRIVATE_API_PLUGIN_ID);
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
