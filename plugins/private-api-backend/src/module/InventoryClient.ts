import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApiRecord,
  PRIVATE_API_PLUGIN_ID,
  VpcEndpointRecord,
} from '@private-api-catalog/plugin-private-api-common';
import type { ScopeStatus } from '../inventory/types';

/** A VPC endpoint as the plugin serves it, with the private APIs associated with it. */
export type EndpointWithApis = VpcEndpointRecord & {
  associatedApis?: Array<{ apiId: string; name: string }>;
};

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

  /**
   * What completed crawls of a scope changed in generations (`since`, `through`]: changed
   * APIs with their definitions a page at a time, the removed entity names with the first.
   */
  async *scopeChanges(
    accountId: string,
    region: string,
    window: { since: number; through: number },
    pageSize = 200,
  ): AsyncGenerator<{
    items: Array<{ api: ApiRecord; definition?: string }>;
    removedEntityNames: string[];
  }> {
    let after: string | undefined;
    do {
      const query = new URLSearchParams({
        since: String(window.since),
        through: String(window.through),
        limit: String(pageSize),
        ...(after ? { after } : {}),
      });
      const page = await this.get<{
        items: Array<{ api: ApiRecord; definition?: string }>;
        next?: string;
        removedEntityNames: string[];
      }>(`/scopes/${accountId}/${region}/changes?${query}`);
      yield page;
      after = page.next;
    } while (after);
  }

  /** Every execute-api VPC endpoint of the estate with the private APIs associated with it. */
  async listVpcEndpoints(): Promise<EndpointWithApis[]> {
    return (await this.get<{ items: EndpointWithApis[] }>('/vpc-endpoints'))
      .items;
  }
}
