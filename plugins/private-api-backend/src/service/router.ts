import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  API_LIST_SORTS,
  ApiCallersResponse,
  ApiListResponse,
  discoveryRefreshPermission,
  DiscoveryStatusResponse,
  PriceBook,
  privateApiAdminPermission,
} from '@private-api-catalog/plugin-private-api-common';
import { apiCostAnswer, scopeCostTotals } from '../discovery/derived';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { redactAwsText } from '../access/awsSummary';
import { InventoryStore } from '../inventory/InventoryStore';
import { resolveCaller, withAccess } from '../inventory/reachable';
import { awsId, parseInput, rejectUnsafeInput } from './validation';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  store: InventoryStore;
  /** Price tables for cost answers; the embedded ones when undefined. */
  prices?: PriceBook;
  /** Starts a discovery run now; undefined when discovery is not configured. */
  triggerDiscovery?: () => Promise<void>;
  /** Last and next discovery run; undefined when discovery is not configured. */
  discoveryStatus?: () => Promise<DiscoveryStatusResponse>;
}

const apiPathParams = z.object({
  accountId: awsId('accountId'),
  region: awsId('region'),
  apiId: awsId('apiId'),
});

/** `true` or `false` in a query string. */
const flag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .transform(v => v === 'true')
  .optional();

const listQuery = z
  .object({
    accountId: awsId('accountId').optional(),
    region: awsId('region').optional(),
    apiType: z.enum(['REST', 'HTTP', 'WEBSOCKET']).optional(),
    endpointType: z.enum(['PRIVATE', 'REGIONAL', 'EDGE']).optional(),
    owner: z.string().min(1).optional(),
    authorization: z
      .enum(['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS', 'JWT'])
      .optional(),
    q: z.string().min(1).optional(),
    reachableFrom: z.string().min(1).optional(),
    noPolicy: flag,
    openToAnyEndpoint: flag,
    crossAccount: flag,
    stale: flag,
    // 0: no items, only the count (or with totals=true the count and cost total).
    limit: z.coerce.number().int().min(0).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
    after: z.string().min(1).optional(),
    sort: z.enum(API_LIST_SORTS).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    totals: flag,
  })
  .strict();

/** The list filters of the VPC and VPC endpoint views: `/apis`' without `reachableFrom`. */
const callerListQuery = listQuery.omit({ reachableFrom: true });

const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const scopeChangesQuery = z
  .object({
    since: z.coerce.number().int().min(0),
    through: z.coerce.number().int().min(0),
    after: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict()
  .refine(q => q.through >= q.since, {
    message: 'through must not be smaller than since',
  });

const vpcEndpointQuery = z
  .object({
    vpcId: awsId('vpcId').optional(),
    region: awsId('region').optional(),
  })
  .strict();

/** The REST API of the plugin, described in `src/schema/openapi.yaml`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, store } = options;
  const router = Router();
  router.use(express.json());
  // NUL, control and bidirectional-override characters → 400 on every route.
  router.use(rejectUnsafeInput);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  /** The list, or with a caller the private APIs it may call and the URL to use from there. */
  const listApis = async (
    query: z.infer<typeof listQuery>,
  ): Promise<ApiListResponse> => {
    const { q, reachableFrom, ...filter } = query;
    if (!reachableFrom) return store.listApis({ ...filter, text: q });
    const caller = await resolveCaller(store, reachableFrom);
    const { endpoints } = caller;
    const { reach, ...page } = await store.listReachableApis({
      ...filter,
      text: q,
      reachableFrom: endpoints,
    });
    return {
      ...page,
      items: withAccess(page.items, caller, reach),
      reachableFrom: {
        id: reachableFrom,
        vpcEndpoints: endpoints.map(e => ({
          vpcEndpointId: e.vpcEndpointId,
          vpcId: e.vpcId,
          region: e.region,
        })),
      },
    };
  };

  router.get('/apis', async (req, res) => {
    res.json(await listApis(parseInput(listQuery, req.query, 'query')));
  });

  router.get('/vpc-endpoints/:vpcEndpointId/apis', async (req, res) => {
    const { vpcEndpointId } = parseInput(
      z.object({ vpcEndpointId: awsId('vpcEndpointId') }),
      req.params,
      'VPC endpoint path',
    );
    const query = parseInput(callerListQuery, req.query, 'query');
    res.json(await listApis({ ...query, reachableFrom: vpcEndpointId }));
  });

  router.get('/vpcs/:vpcId/apis', async (req, res) => {
    const { vpcId } = parseInput(
      z.object({ vpcId: awsId('vpcId') }),
      req.params,
      'VPC path',
    );
    const query = parseInput(callerListQuery, req.query, 'query');
    res.json(await listApis({ ...query, reachableFrom: vpcId }));
  });

  router.get('/apis/:accountId/:region/:apiId/callers', async (req, res) => {
    const { accountId, region, apiId } = parseInput(
      apiPathParams,
      req.params,
      'API path',
    );
    const callers = await store.listAdmittedCallers(accountId, region, apiId);
    if (!callers) {
      throw new NotFoundError(
        `No API ${apiId} in account ${accountId}, Region ${region} in the inventory`,
      );
    }
    const response: ApiCallersResponse = {
      unnamed: callers.unnamed ?? {
        verdict: 'unknown',
        principals: [],
        reason:
          'Not a private REST API, or not indexed yet: VPC endpoints do not decide who may call it.',
      },
      items: callers.items.map(e => ({
        vpcEndpointId: e.vpcEndpointId,
        vpcId: e.vpcId,
        ownerAccountId: e.ownerAccountId,
        region: e.region,
        name: e.name,
        verdict: e.verdict,
        principals: e.principals,
        reason: e.reason,
      })),
      vpcIds: [...new Set(callers.items.map(e => e.vpcId))].sort(),
    };
    res.json(response);
  });

  router.get('/apis/:accountId/:region/:apiId', async (req, res) => {
    const { accountId, region, apiId } = parseInput(
      apiPathParams,
      req.params,
      'API path',
    );
    const stored = await store.getStoredAnswers(accountId, region, apiId);
    // The crawl's snapshot when there is one; else (rewritten since) assembled from its rows.
    const api =
      stored?.detailJson ??
      (stored && JSON.stringify(await store.getApi(accountId, region, apiId)));
    if (!api) {
      throw new NotFoundError(
        `No API ${apiId} in account ${accountId}, Region ${region} in the inventory; it may not be discovered yet, or discovery does not cover that account and Region`,
      );
    }
    const scope = await store.getScope(accountId, region);
    // Stored JSON is spliced in, not parsed and serialized again.
    const analysis = stored?.policyAnalysisJson
      ? `,"policyAnalysis":${stored.policyAnalysisJson}`
      : '';
    res
      .type('application/json')
      .send(
        `{"api":${api},"scope":${JSON.stringify(scope) ?? 'null'}${analysis}}`,
      );
  });

  router.get('/apis/:accountId/:region/:apiId/definition', async (req, res) => {
    const { accountId, region, apiId } = parseInput(
      apiPathParams,
      req.params,
      'API path',
    );
    const definition = await store.getDefinition(accountId, region, apiId);
    if (!definition) {
      throw new NotFoundError(
        `No exported OpenAPI definition for API ${apiId} (account ${accountId}, ${region}); WebSocket APIs cannot be exported, and privateApi.exportDefinitions may be off`,
      );
    }
    res.type('application/json').send(definition.content);
  });

  router.get('/apis/:accountId/:region/:apiId/cost', async (req, res) => {
    const { accountId, region, apiId } = parseInput(
      apiPathParams,
      req.params,
      'API path',
    );
    const stored = await store.getStoredAnswers(accountId, region, apiId);
    if (stored?.costJson) {
      // Written by the crawl, with its account and Region's shared totals.
      res.type('application/json').send(stored.costJson);
      return;
    }
    // Not crawled since the answers were stored: compute it with the scope's totals.
    const api = stored
      ? await store.getApi(accountId, region, apiId)
      : undefined;
    if (!api) {
      throw new NotFoundError(
        `No API ${apiId} in account ${accountId}, Region ${region} in the inventory`,
      );
    }
    res.json(
      apiCostAnswer(
        api,
        await scopeCostTotals(store, accountId, region),
        options.prices,
      ),
    );
  });

  router.get('/estate', async (_req, res) => {
    res.json(await store.getEstateContext());
  });

  router.get('/vpc-endpoints', async (req, res) => {
    const filter = parseInput(vpcEndpointQuery, req.query, 'query');
    const [endpoints, associations] = await Promise.all([
      store.listVpcEndpoints(filter),
      store.listEndpointAssociations(),
    ]);
    res.json({
      items: await Promise.all(
        endpoints.map(async endpoint => ({
          ...endpoint,
          associatedApis: associations.get(endpoint.vpcEndpointId) ?? [],
          admittedApis: await store.listAdmittedApis(endpoint),
        })),
      ),
    });
  });

  router.get('/scopes', async (req, res) => {
    const items = await store.listScopes();
    // AWS's own error text names role ARNs: admins see it, others a summary.
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: privateApiAdminPermission }],
      { credentials },
    );
    res.json({
      items:
        decision.result === AuthorizeResult.ALLOW
          ? items
          : items.map(scope => ({
              ...scope,
              lastErrorMessage:
                scope.lastErrorMessage && redactAwsText(scope.lastErrorMessage),
            })),
    });
  });

  router.get('/scopes/:accountId/:region/apis', async (req, res) => {
    const { accountId, region } = parseInput(
      apiPathParams.pick({ accountId: true, region: true }),
      req.params,
      'scope path',
    );
    const { limit, offset } = parseInput(pageQuery, req.query, 'query');
    const items = await store.listScopeApis(accountId, region, {
      limit,
      offset,
    });
    res.json({ items });
  });

  router.get('/discovery/status', async (_req, res) => {
    const status: DiscoveryStatusResponse = options.discoveryStatus
      ? await options.discoveryStatus()
      : { configured: false, running: false };
    res.json(status);
  });

  // The catalog module's delta: what completed crawls of a scope changed and removed
  // between two of its generations.
  router.get('/scopes/:accountId/:region/changes', async (req, res) => {
    const { accountId, region } = parseInput(
      apiPathParams.pick({ accountId: true, region: true }),
      req.params,
      'scope path',
    );
    const { since, through, after, limit } = parseInput(
      scopeChangesQuery,
      req.query,
      'query',
    );
    const [page, removedEntityNames] = await Promise.all([
      store.listScopeApiChanges(accountId, region, {
        since,
        through,
        after,
        limit,
      }),
      // Removals come with the first page only.
      after
        ? Promise.resolve([])
        : store.listRemovedEntityNames(accountId, region, { since, through }),
    ]);
    res.json({ items: page.items, next: page.next, removedEntityNames });
  });

  router.post('/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: discoveryRefreshPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not start a discovery run (permission ${discoveryRefreshPermission.name})`,
      );
    }
    if (!options.triggerDiscovery) {
      throw new InputError(
        'Discovery is not configured: add a privateApi section to app-config.yaml (see the plugin README)',
      );
    }
    await options.triggerDiscovery();
    res.status(202).json({ status: 'started' });
  });

  return router;
}
