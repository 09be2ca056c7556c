import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { PRIVATE_API_PLUGIN_ID } from '@private-api-catalog/plugin-private-api-common';

/** Health of the private-api backend. */
export interface PrivateApiHealth {
  status: string;
}

/**
 * The frontend's view of the private-api backend's REST API.
 *
 * @public
 */
export interface PrivateApiApi {
  getHealth(): Promise<PrivateApiHealth>;
}

/** @public */
export const privateApiApiRef = createApiRef<PrivateApiApi>({
  id: 'plugin.private-api.service',
});

/**
 * Calls the backend through the discovery and fetch APIs, so the user's Backstage token
 * goes with every request; a failed response becomes a `ResponseError`.
 *
 * @public
 */
export class PrivateApiClient implements PrivateApiApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<PrivateApiHealth> {
    return this.get<PrivateApiHealth>('/health');
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl(PRIVATE_API_PLUGIN_ID);
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
