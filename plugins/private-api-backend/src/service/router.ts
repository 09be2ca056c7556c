import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ApiCostResponse,
  discoveryRefreshPermission,
  PriceBook,
  privateApiAdminPermission,
} from '@private-api-catalog/plugin-private-api-common';
import { scopeCostEstimate } from '../discovery/derived';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { redactAwsText } from '../access/awsSummary';
import { InventoryStore } from '../inventory/InventoryStore';
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
}

const apiPathParams = z.object({
  accountId: awsId('accountId'),
  region: awsId('region'),
  apiId: awsId('apiId'),
});

const listQuery = z
  .object({
    accountId: awsId('accountId').optional(),
    region: awsId('region').optional(),
    apiType: z.enum(['REST', 'HTTP', 'WEBSOCKET']).optional(),
    endpointType: z.enum(['PRIVATE', 'REGIONAL', 'EDGE']).optional(),
    owner: z.string().min(1).optional(),
    q: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

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

  router.get('/apis', async (req, res) => {
    const query = parseInput(listQuery, req.query, 'query');
    const { q, ...filter } = query;
    res.json(await store.listApis({ ...filter, text: q }));
  });

  router.get('/apis/:accountId/:region/:apiId', async (req, res) => {
    const { accountId, region, apiId } = parseInput(
      apiPathParams,
      req.params,
      'API path',
    );
    const api = await store.getApi(accountId, region, apiId);
    if (!api) {
      throw new NotFoundError(
        `No API ${apiId} in account ${accountId}, Region ${region} in the inventory; it may not be discovered yet, or discovery does not cover that account and Region`,
      );
    }
    const scope = await store.getScope(accountId, region);
    res.json({ api, scope });
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
    const estimate = await scopeCostEstimate(
      store,
      accountId,
      region,
      options.prices,
    );
    const api = estimate.apis.find(a => a.apiId === apiId);
    if (!api) {
      throw new NotFoundError(
        `No API ${apiId} in account ${accountId}, Region ${region} in the inventory`,
      );
    }
    const response: ApiCostResponse = {
      estimate: api,
      advice: estimate.advice.filter(a => a.apiId === apiId),
      assumptions: estimate.assumptions.filter(
        a =>
          !/^(Requests of|No traffic data for) /.test(a) ||
          a.includes(api.name ?? apiId),
      ),
      priceTables: estimate.priceTables,
    };
    res.json(response);
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
      items: endpoints.map(endpoint => ({
        ...endpoint,
        associatedApis: associations.get(endpoint.vpcEndpointId) ?? [],
      })),
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
