import { GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { Api, GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import type { ApiType } from '@private-api-catalog/plugin-private-api-common';
import type { ScopeClients } from '../aws/clients';
import type { PrivateApiConfig } from '../config/config';
import type { ApiWrite } from '../inventory/types';
import type { ScopeIdentity } from './normalize';
import { crawlRestApi } from './restApis';
import { crawlV2Api } from './v2Apis';

function isNotFound(error: unknown) {
  return (error as { name?: string }).name === 'NotFoundException';
}

/**
 * One API by id, fully (its details are read again whatever its deployments): GetRestApi
 * or GetApi, then the crawl of its kind. `gone` when AWS has no such API any more;
 * undefined when it is of a type discovery is configured to skip.
 */
export async function crawlOneApi(options: {
  clients: ScopeClients;
  scope: ScopeIdentity;
  apiId: string;
  /** The stored API's type, if known: saves asking the other API Gateway version first. */
  apiType?: ApiType;
  config: Pick<PrivateApiConfig, 'apiTypes' | 'exportDefinitions'>;
}): Promise<ApiWrite | 'gone' | undefined> {
  const { clients, scope, apiId, config } = options;
  const common = {
    clients,
    scope,
    exportDefinitions: config.exportDefinitions,
  };
  const asRest = async () => {
    const api = await clients.apigateway.send(
      new GetRestApiCommand({ restApiId: apiId }),
    );
    return config.apiTypes.includes('REST')
      ? crawlRestApi({ ...common, api })
      : undefined;
  };
  const asV2 = async () => {
    const api = await clients.apigatewayv2.send(
      new GetApiCommand({ ApiId: apiId }),
    );
    const type = api.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP';
    return config.apiTypes.includes(type)
      ? crawlV2Api({ ...common, api: api as Api })
      : undefined;
  };
  const order =
    options.apiType && options.apiType !== 'REST'
      ? [asV2, asRest]
      : [asRest, asV2];
  for (const attempt of order) {
    try {
      return await attempt();
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return 'gone';
}
