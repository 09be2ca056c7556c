import { Readable } from 'node:stream';
import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  PRIVATE_API_PLUGIN_ID,
  PRIVATE_API_SEARCH_TYPE,
  PrivateApiSearchDocument,
  ScopeStatus,
} from '@private-api-catalog/plugin-private-api-common';

/** A document as the search index receives it: with the catalog entity it stands for. */
export type IndexedPrivateApiDocument = PrivateApiSearchDocument & {
  authorization: { resourceRef: string };
};

/**
 * Collates one search document per discovered API from the private-api backend, a scope
 * and a page at a time, with the collator's own service credentials. The documents carry
 * their catalog entity as the resource to authorize, so search shows an API only to users
 * who may read its catalog entity.
 */
export class PrivateApiCollatorFactory implements DocumentCollatorFactory {
  readonly type = PRIVATE_API_SEARCH_TYPE;
  readonly visibilityPermission = catalogEntityReadPermission;

  constructor(
    private readonly options: {
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      pageSize?: number;
    },
  ) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.documents());
  }

  private async get<T>(path: string): Promise<T> {
    const { auth, discovery } = this.options;
    const baseUrl = await discovery.getBaseUrl(PRIVATE_API_PLUGIN_ID);
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: PRIVATE_API_PLUGIN_ID,
    });
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  async *documents(): AsyncGenerator<IndexedPrivateApiDocument> {
    const pageSize = this.options.pageSize ?? 100;
    const { items: scopes } = await this.get<{ items: ScopeStatus[] }>(
      '/scopes',
    );
    let count = 0;
    for (const scope of scopes) {
      for (let offset = 0; ; offset += pageSize) {
        const { items } = await this.get<{ items: PrivateApiSearchDocument[] }>(
          `/scopes/${scope.accountId}/${scope.region}/search-documents?limit=${pageSize}&offset=${offset}`,
        );
        for (const document of items) {
          count += 1;
          yield {
            ...document,
            authorization: { resourceRef: document.entityRef },
          };
        }
        if (items.length < pageSize) break;
      }
    }
    this.options.logger.debug(
      `Collated ${count} private API search documents from ${scopes.length} account/Region scopes`,
    );
  }
}
