import {
  GetAuthorizersCommand,
  GetExportCommand,
  GetIntegrationCommand,
  GetStagesCommand,
  Integration,
  paginateGetResources,
  paginateGetRestApis,
  Resource,
  RestApi,
} from '@aws-sdk/client-api-gateway';
import type {
  ApiRecord,
  StageRecord,
} from '@private-api-catalog/plugin-private-api-common';
import type { ScopeClients } from '../aws/clients';
import {
  deploymentFingerprint,
  restApiRecord,
  restAuthorizerRecord,
  restRoutes,
  restStageRecord,
  ScopeIdentity,
} from './normalize';
import type { ApiWrite } from '../inventory/types';
import {
  detailsFromExport,
  mergeDeployments,
  parseExport,
  withoutGatewayExtensions,
} from './exports';

/** AWS-FACTS §1: GetRestApis pages of at most 500. */
const PAGE_SIZE = 500;

/** Every REST API of the scope, page by page. */
export async function* listRestApis(
  clients: ScopeClients,
): AsyncGenerator<RestApi[]> {
  for await (const page of paginateGetRestApis(
    { client: clients.apigateway, pageSize: PAGE_SIZE },
    {},
  )) {
    yield page.items ?? [];
  }
}

/** GetAuthorizers has no SDK paginator: loop on `position` (AWS-FACTS §1). */
async function getAllAuthorizers(clients: ScopeClients, restApiId: string) {
  const all = [];
  let position: string | undefined;
  do {
    const page = await clients.apigateway.send(
      new GetAuthorizersCommand({ restApiId, position, limit: PAGE_SIZE }),
    );
    all.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return all;
}

async function getAllResources(clients: ScopeClients, restApiId: string) {
  const resources: Resource[] = [];
  for await (const page of paginateGetResources(
    { client: clients.apigateway, pageSize: PAGE_SIZE },
    { restApiId, embed: ['methods'] },
  )) {
    resources.push(...(page.items ?? []));
  }
  return resources;
}

/**
 * ASSUMPTION (verify, AWS-FACTS §1): GetResources with embed=methods fills
 * `methodIntegration`. Where a method comes back without it, ask GetIntegration.
 */
async function fillMissingIntegrations(
  clients: ScopeClients,
  restApiId: string,
  resources: Resource[],
): Promise<Map<string, Integration>> {
  const fetched = new Map<string, Integration>();
  for (const resource of resources) {
    for (const [method, m] of Object.entries(resource.resourceMethods ?? {})) {
      if (m.methodIntegration || !m.httpMethod) continue;
      try {
        fetched.set(
          `${resource.id}/${method}`,
          await clients.apigateway.send(
            new GetIntegrationCommand({
              restApiId,
              resourceId: resource.id!,
              httpMethod: method,
            }),
          ),
        );
      } catch (error) {
        // A method without an integration answers NotFound: nothing to record.
        if ((error as { name?: string }).name !== 'NotFoundException')
          throw error;
      }
    }
  }
  return fetched;
}

/** The OpenAPI 3 export of a stage's deployment, with the integrations and authorizers. */
async function exportStage(
  clients: ScopeClients,
  restApiId: string,
  stageName: string,
): Promise<string> {
  const result = await clients.apigateway.send(
    new GetExportCommand({
      restApiId,
      stageName,
      exportType: 'oas30',
      accepts: 'application/json',
      parameters: { extensions: 'integrations,authorizers' },
    }),
  );
  return new TextDecoder().decode(result.body ?? new Uint8Array());
}

/** Picks the stage whose export best describes the API: 'prod' if there is one, else the newest. */
export function stageForExport(record: ApiRecord): string | undefined {
  const names = record.stages.map(s => s.stageName);
  if (names.includes('prod')) return 'prod';
  return [...record.stages]
    .sort((a, b) =>
      (b.lastUpdatedDate ?? '').localeCompare(a.lastUpdatedDate ?? ''),
    )
    .at(0)?.stageName;
}

/**
 * The stages grouped by the deployment they run, the stage the API page describes first
 * (see `stageForExport`) leading; stages without a deployment are left out.
 */
export function distinctDeployments(
  stages: StageRecord[],
  first: string | undefined,
): Array<{ deploymentId: string; stageNames: string[] }> {
  const byDeployment = new Map<string, string[]>();
  const ordered = [...stages].sort(
    (a, b) => Number(b.stageName === first) - Number(a.stageName === first),
  );
  for (const stage of ordered) {
    if (!stage.deploymentId) continue;
    byDeployment.set(stage.deploymentId, [
      ...(byDeployment.get(stage.deploymentId) ?? []),
      stage.stageName,
    ]);
  }
  return [...byDeployment].map(([deploymentId, stageNames]) => ({
    deploymentId,
    stageNames,
  }));
}

/** How an API's routes are read: from exports (the default) or call by call. */
export type DetailsMode = 'exports' | 'calls';

/** The working copy, call by call: GetResources (methods embedded) and GetAuthorizers. */
async function workingCopy(clients: ScopeClients, restApiId: string) {
  const resources = await getAllResources(clients, restApiId);
  const fetched = await fillMissingIntegrations(clients, restApiId, resources);
  const { routes, integrations } = restRoutes(
    resources,
    (resource, method, m) =>
      m.methodIntegration ?? fetched.get(`${resource.id}/${method}`),
  );
  const authorizers = (await getAllAuthorizers(clients, restApiId)).map(
    restAuthorizerRecord,
  );
  return { routes, integrations, authorizers };
}

/**
 * Crawls one REST API: GetStages, then one GetExport per distinct deployment of its
 * stages, which says what callers reach. An API that no stage runs is read from its working
 * copy. With `previousFingerprint` equal to the stages' deployment ids, nothing more is
 * fetched (incremental refresh).
 */
export async function crawlRestApi(options: {
  clients: ScopeClients;
  api: RestApi;
  scope: ScopeIdentity;
  previousFingerprint?: string;
  exportDefinitions: boolean;
  /** `calls` reads the working copy call by call, as discovery did before exports. */
  mode?: DetailsMode;
}): Promise<ApiWrite> {
  const { clients, api, scope } = options;
  const restApiId = api.id!;
  const record = restApiRecord(api, scope);

  const stages = await clients.apigateway.send(
    new GetStagesCommand({ restApiId }),
  );
  record.stages = (stages.item ?? []).map(restStageRecord);
  const fingerprint = deploymentFingerprint(record.stages);
  if (options.previousFingerprint === fingerprint) {
    return { record, details: 'keep', fingerprint };
  }

  const primary = stageForExport(record);
  const deployments = distinctDeployments(record.stages, primary);
  if (options.mode === 'calls' || deployments.length === 0) {
    Object.assign(record, await workingCopy(clients, restApiId));
    record.detailsSource = { kind: 'working-copy' };
    let definition: ApiWrite['definition'] = null;
    if (options.exportDefinitions && primary) {
      const content = await exportStage(clients, restApiId, primary);
      definition = {
        stageName: primary,
        content: JSON.stringify(
          withoutGatewayExtensions(parseExport(content, restApiId)),
          null,
          2,
        ),
      };
    }
    return { record, details: 'replace', fingerprint, definition };
  }

  const exported = [];
  for (const deployment of deployments) {
    const document = parseExport(
      await exportStage(clients, restApiId, deployment.stageNames[0]),
      restApiId,
    );
    exported.push({ ...deployment, document });
  }
  Object.assign(
    record,
    mergeDeployments(
      exported.map(e => ({
        stageNames: e.stageNames,
        details: detailsFromExport(e.document, 'REST'),
      })),
    ),
  );
  const described = exported[0];
  record.detailsSource = {
    kind: 'deployment',
    stageName: described.stageNames[0],
    deploymentId: described.deploymentId,
  };
  const definition: ApiWrite['definition'] = options.exportDefinitions
    ? {
        stageName: described.stageNames[0],
        content: JSON.stringify(
          withoutGatewayExtensions(described.document),
          null,
          2,
        ),
      }
    : null;
  return { record, details: 'replace', fingerprint, definition };
}
