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
import type { ApiRecord } from '@private-api-catalog/plugin-private-api-common';
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

async function exportDefinition(
  clients: ScopeClients,
  restApiId: string,
  stageName: string,
): Promise<string | undefined> {
  const result = await clients.apigateway.send(
    new GetExportCommand({
      restApiId,
      stageName,
      exportType: 'oas30',
      accepts: 'application/json',
    }),
  );
  return result.body ? new TextDecoder().decode(result.body) : undefined;
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
 * Crawls one REST API. With `previousFingerprint` equal to the stages' deployment ids,
 * the resources, authorizers and export are not fetched again (incremental refresh).
 */
export async function crawlRestApi(options: {
  clients: ScopeClients;
  api: RestApi;
  scope: ScopeIdentity;
  previousFingerprint?: string;
  exportDefinitions: boolean;
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

  const resources = await getAllResources(clients, restApiId);
  const fetched = await fillMissingIntegrations(clients, restApiId, resources);
  const { routes, integrations } = restRoutes(
    resources,
    (resource, method, m) =>
      m.methodIntegration ?? fetched.get(`${resource.id}/${method}`),
  );
  record.routes = routes;
  record.integrations = integrations;
  record.authorizers = (await getAllAuthorizers(clients, restApiId)).map(
    restAuthorizerRecord,
  );

  let definition: ApiWrite['definition'] = null;
  const exportStage = options.exportDefinitions
    ? stageForExport(record)
    : undefined;
  if (exportStage) {
    const content = await exportDefinition(clients, restApiId, exportStage);
    definition = content ? { stageName: exportStage, content } : null;
  }
  return { record, details: 'replace', fingerprint, definition };
}
