import {
  Api,
  ExportApiCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { ApiType } from '@private-api-catalog/plugin-private-api-common';
import type { ScopeClients } from '../aws/clients';
import type { ApiWrite } from '../inventory/types';
import {
  deploymentFingerprint,
  ScopeIdentity,
  v2ApiRecord,
  v2AuthorizerRecord,
  v2IntegrationRecord,
  v2RouteRecord,
  v2StageRecord,
} from './normalize';
import { stageForExport } from './restApis';

/** API Gateway v2 pages: `MaxResults` is a string, and there are no SDK paginators (AWS-FACTS §2). */
const MAX_RESULTS = '500';

/**
 * Follows `NextToken` until the last page. Each v2 list command has the same shape, so
 * one loop serves them all.
 */
export async function collectPages<T>(
  fetchPage: (
    nextToken: string | undefined,
  ) => Promise<{ Items?: T[]; NextToken?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    all.push(...(page.Items ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return all;
}

/** Every HTTP and WebSocket API of the scope of the given types, page by page. */
export async function* listV2Apis(
  clients: ScopeClients,
  types: ApiType[] = ['HTTP', 'WEBSOCKET'],
): AsyncGenerator<Api[]> {
  let nextToken: string | undefined;
  do {
    const page = await clients.apigatewayv2.send(
      new GetApisCommand({ MaxResults: MAX_RESULTS, NextToken: nextToken }),
    );
    yield (page.Items ?? []).filter(api =>
      types.includes(api.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP'),
    );
    nextToken = page.NextToken;
  } while (nextToken);
}

/** Crawls one HTTP or WebSocket API; unchanged deployments keep the stored details. */
export async function crawlV2Api(options: {
  clients: ScopeClients;
  api: Api;
  scope: ScopeIdentity;
  previousFingerprint?: string;
  exportDefinitions: boolean;
}): Promise<ApiWrite> {
  const { clients, api, scope } = options;
  const ApiId = api.ApiId!;
  const client = clients.apigatewayv2;
  const record = v2ApiRecord(api, scope);

  record.stages = (
    await collectPages(NextToken =>
      client.send(
        new GetStagesCommand({ ApiId, MaxResults: MAX_RESULTS, NextToken }),
      ),
    )
  ).map(v2StageRecord);
  const fingerprint = deploymentFingerprint(record.stages);
  if (options.previousFingerprint === fingerprint) {
    return { record, details: 'keep', fingerprint };
  }

  record.integrations = (
    await collectPages(NextToken =>
      client.send(
        new GetIntegrationsCommand({
          ApiId,
          MaxResults: MAX_RESULTS,
          NextToken,
        }),
      ),
    )
  ).map(v2IntegrationRecord);
  record.routes = (
    await collectPages(NextToken =>
      client.send(
        new GetRoutesCommand({ ApiId, MaxResults: MAX_RESULTS, NextToken }),
      ),
    )
  ).map(v2RouteRecord);
  record.authorizers = (
    await collectPages(NextToken =>
      client.send(
        new GetAuthorizersCommand({
          ApiId,
          MaxResults: MAX_RESULTS,
          NextToken,
        }),
      ),
    )
  ).map(v2AuthorizerRecord);

  let definition: ApiWrite['definition'] = null;
  // ExportApi serves HTTP APIs only (AWS-FACTS §2).
  const exportStage =
    options.exportDefinitions && record.apiType === 'HTTP'
      ? stageForExport(record)
      : undefined;
  if (exportStage) {
    const result = await client.send(
      new ExportApiCommand({
        ApiId,
        Specification: 'OAS30',
        OutputType: 'JSON',
        StageName: exportStage,
      }),
    );
    definition = result.body
      ? {
          stageName: exportStage,
          content: new TextDecoder().decode(result.body),
        }
      : null;
  }
  return { record, details: 'replace', fingerprint, definition };
}
