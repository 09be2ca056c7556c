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
} from '@private-api-catalog/plugin-private-api-common';
import { scopeCostEstimate } from '../discovery/derived';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { InventoryStore } from '../inventory/InventoryStore';

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

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const apiPathParams = z.object({
  accountId: z
    .string()
    .regex(ACCOUNT_ID, 'accountId must be a 12-digit AWS account id'),
  region: z
    .string()
    .regex(REGION, 'region must be an AWS Region code such as us-east-1'),
  apiId: z
    .string()
    .regex(/^[a-z0-9]{10}$/, 'apiId must be a 10-character API Gateway API id'),
});

const listQuery = z
  .object({
    accountId: z
      .string()
      .regex(ACCOUNT_ID, 'accountId must be a 12-digit AWS account id')
      .optional(),
    region: z
      .string()
      .regex(REGION, 'region must be an AWS Region code such as us-east-1')
      .optional(),
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
    vpcId: z
      .string()
      .regex(
        /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/,
        'vpcId must look like vpc-0123456789abcdef0',
      )
      .optional(),
    region: z
      .string()
      .regex(REGION, 'region must be an AWS Region code such as us-east-1')
      .optional(),
  })
  .strict();

/** Parses with zod; a failure is a 400 that names each bad field. */
function parse<T>(
  schema: z.ZodType<T, unknown>,
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues
      .map(i =>
        i.path.length
          ? `${i.path.map(String).join('.')}: ${i.message}`
          : i.message,
      )
      .join('; ');
    throw new InputError(`Invalid ${what}: ${problems}`);
  }
  return result.data;
}

/** The REST API of the plugin, described in `src/schema/openapi.yaml`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, store } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/apis', async (req, res) => {
    const query = parse(listQuery, req.query, 'query');
    const { q, ...filter } = query;
    res.json(await store.listApis({ ...filter, text: q }));
  });

  router.get('/apis/:accountId/:region/:apiId', async (req, res) => {
    const { accountId, region, apiId } = parse(
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
    const { accountId, region, apiId } = parse(
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
    const { accountId, region, apiId } = parse(
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
    const filter = parse(vpcEndpointQuery, req.query, 'query');
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

  router.get('/scopes', async (_req, res) => {
    res.json({ items: await store.listScopes() });
  });

  router.get('/scopes/:accountId/:region/apis', async (req, res) => {
    const { accountId, region } = parse(
      apiPathParams.pick({ accountId: true, region: true }),
      req.params,
      'scope path',
    );
    const { limit, offset } = parse(pageQuery, req.query, 'query');
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
