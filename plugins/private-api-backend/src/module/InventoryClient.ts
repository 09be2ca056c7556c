import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApiRecord,
  PRIVATE_API_PLUGIN_ID,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import type { ScopeStatus } from '../inventory/types';

/**
 * The catalog module's view of the inventory: the private-api plugin's REST API, called
 * with the module's own service credentials. The module never calls AWS.
 */
export class InventoryClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl(PRIVATE_API_PLUGIN_ID);
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: PRIVATE_API_PLUGIN_ID,
    });
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  async listScopes(): Promise<ScopeStatus[]> {
    return (await this.get<{ items: ScopeStatus[] }>('/scopes')).items;
  }

  /** Every API of a scope with its definition, fetched a page at a time. */
  async *scopeApis(
    accountId: string,
    region: string,
    pageSize = 200,
  ): AsyncGenerator<Array<{ api: ApiRecord; definition?: string }>> {
    for (let offset = 0; ; offset += pageSize) {
      const { items } = await this.get<{
        items: Array<{ api: ApiRecord; definition?: string }>;
      }>(
        `/scopes/${accountId}/${region}/apis?limit=${pageSize}&offset=${offset}`,
      );
      if (items.length > 0) yield items;
      if (items.length < pageSize) return;
    }
  }

  async listVpcEndpoints(
    accountId: string,
    region: string,
  ): Promise<VpcEndpointRecord[]> {
    const { items } = await this.get<{ items: VpcEndpointRecord[] }>(
      `/vpc-endpoints?region=${encodeURIComponent(region)}`,
    );
    return items.filter(e => e.ownerAccountId === accountId);
  }
}
