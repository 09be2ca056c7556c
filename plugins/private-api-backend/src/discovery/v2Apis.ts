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
import { detailsFromExport, mergeDeployments, parseExport } from './exports';
import { DetailsMode, distinctDeployments, stageForExport } from './restApis';

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

/** Routes, integrations and authorizers call by call: what WebSocket APIs, which have no export, need. */
async function detailsByCalls(
  client: ScopeClients['apigatewayv2'],
  ApiId: string,
) {
  const list = <T>(
    command: (
      NextToken: string | undefined,
    ) => Promise<{ Items?: T[]; NextToken?: string }>,
  ) => collectPages(command);
  return {
    integrations: (
      await list(NextToken =>
        client.send(
          new GetIntegrationsCommand({
            ApiId,
            MaxResults: MAX_RESULTS,
            NextToken,
          }),
        ),
      )
    ).map(v2IntegrationRecord),
    routes: (
      await list(NextToken =>
        client.send(
          new GetRoutesCommand({ ApiId, MaxResults: MAX_RESULTS, NextToken }),
        ),
      )
    ).map(v2RouteRecord),
    authorizers: (
      await list(NextToken =>
        client.send(
          new GetAuthorizersCommand({
            ApiId,
            MaxResults: MAX_RESULTS,
            NextToken,
          }),
        ),
      )
    ).map(v2AuthorizerRecord),
  };
}

/** ExportApi of one stage's deployment, or of the latest configuration without a stage. */
async function exportHttpApi(
  client: ScopeClients['apigatewayv2'],
  ApiId: string,
  StageName: string | undefined,
) {
  const result = await client.send(
    new ExportApiCommand({
      ApiId,
      Specification: 'OAS30',
      OutputType: 'JSON',
      StageName,
    }),
  );
  const content = new TextDecoder().decode(result.body ?? new Uint8Array());
  return { content, document: parseExport(content, ApiId) };
}

/**
 * Crawls one HTTP or WebSocket API: GetStages, then for HTTP APIs one ExportApi per
 * distinct deployment of the stages (the latest configuration when nothing is deployed);
 * WebSocket APIs, which cannot be exported, call by call. Unchanged deployments keep the
 * stored details.
 */
export async function crawlV2Api(options: {
  clients: ScopeClients;
  api: Api;
  scope: ScopeIdentity;
  previousFingerprint?: string;
  exportDefinitions: boolean;
  /** `calls` reads HTTP APIs call by call too, as discovery did before exports. */
  mode?: DetailsMode;
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

  const primary = stageForExport(record);
  if (record.apiType === 'WEBSOCKET' || options.mode === 'calls') {
    Object.assign(record, await detailsByCalls(client, ApiId));
    let definition: ApiWrite['definition'] = null;
    // ExportApi serves HTTP APIs only (AWS-FACTS §2).
    if (record.apiType === 'HTTP') {
      record.detailsSource = { kind: 'working-copy' };
      if (options.exportDefinitions && primary) {
        const { content } = await exportHttpApi(client, ApiId, primary);
        definition = { stageName: primary, content };
      }
    }
    return { record, details: 'replace', fingerprint, definition };
  }

  const deployments = distinctDeployments(record.stages, primary);
  if (deployments.length === 0) {
    const { content, document } = await exportHttpApi(client, ApiId, undefined);
    Object.assign(record, detailsFromExport(document, 'HTTP'));
    record.detailsSource = { kind: 'working-copy' };
    return {
      record,
      details: 'replace',
      fingerprint,
      definition:
        options.exportDefinitions && primary
          ? { stageName: primary, content }
          : null,
    };
  }
  const exported = [];
  for (const deployment of deployments) {
    exported.push({
      ...deployment,
      ...(await exportHttpApi(client, ApiId, deployment.stageNames[0])),
    });
  }
  Object.assign(
    record,
    mergeDeployments(
      exported.map(e => ({
        stageNames: e.stageNames,
        details: detailsFromExport(e.document, 'HTTP'),
      })),
    ),
  );
  const described = exported[0];
  record.detailsSource = {
    kind: 'deployment',
    stageName: described.stageNames[0],
    deploymentId: described.deploymentId,
  };
  return {
    record,
    details: 'replace',
    fingerprint,
    definition: options.exportDefinitions
      ? { stageName: described.stageNames[0], content: described.content }
      : null,
  };
}
