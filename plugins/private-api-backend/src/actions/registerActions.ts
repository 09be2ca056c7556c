import { AuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  accessRequestCreatePermission,
  ApiRecord,
  apiEntityName,
  AWS_ID_DESCRIPTIONS,
  AWS_ID_PATTERNS,
  checkReachability,
  endpointAccess,
  EstateContext,
  InvokeCaller,
  invokeOptions,
} from '@private-api-catalog/plugin-private-api-common';
import type { z as zod } from 'zod/v3';
import type { AccessRequestService } from '../access/AccessRequestService';
import { InventoryStore } from '../inventory/InventoryStore';
import { apisCallableFrom } from './callableFrom';
import { resolveApi } from './resolveApi';

type Zod = typeof zod;

const entityRefOf = (api: ApiRecord) => `api:default/${apiEntityName(api)}`;

function apiOutput(api: ApiRecord) {
  return {
    name: api.name,
    apiId: api.apiId,
    accountId: api.accountId,
    region: api.region,
    apiType: api.apiType,
    endpointType: api.endpointType,
    entityRef: entityRefOf(api),
  };
}

/**
 * The caller of `how-to-invoke`: the named endpoint, or the endpoint of the VPC (in the
 * API's Region) that the policy lets in, else the VPC's first endpoint there.
 */
function callerFor(
  api: ApiRecord,
  estate: EstateContext,
  input: { vpcId?: string; vpcEndpointId?: string },
): InvokeCaller | undefined {
  if (input.vpcEndpointId) {
    const endpoint = estate.vpcEndpoints.find(
      e => e.vpcEndpointId === input.vpcEndpointId,
    );
    if (!endpoint) {
      throw new InputError(
        `VPC endpoint ${input.vpcEndpointId} is not in the inventory: check the id, or add its account and Region to discovery`,
      );
    }
    return { location: 'vpc', vpcEndpoint: endpoint };
  }
  if (input.vpcId) {
    const inVpc = estate.vpcEndpoints.filter(
      e => e.vpcId === input.vpcId && e.region === api.region,
    );
    const admitted = inVpc.find(e =>
      ['allowed', 'signed-only'].includes(endpointAccess(api, e).verdict),
    );
    return { location: 'vpc', vpcEndpoint: admitted ?? inVpc[0] };
  }
  return undefined;
}

/**
 * Registers the plugin's actions with Backstage's actions registry, where the MCP server
 * (`@backstage/plugin-mcp-actions-backend`), the scaffolder and other clients find them.
 * They read the stored inventory and never call AWS; `request-vpc-access` records a request
 * as the calling user, under the same permission as the REST API and the form.
 */
export function registerPrivateApiActions(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  permissions: PermissionsService;
  store: InventoryStore;
  service: AccessRequestService;
}) {
  const { actionsRegistry, auth, permissions, store, service } = options;

  const awsId = (z: Zod, kind: keyof typeof AWS_ID_PATTERNS) =>
    z
      .string()
      .regex(AWS_ID_PATTERNS[kind], `must be ${AWS_ID_DESCRIPTIONS[kind]}`);

  const apiInput = (z: Zod) => ({
    api: z
      .string()
      .min(1)
      .describe(
        'The API: its id (a1b2c3d4e5), catalog entity name (payments-api-a1b2c3d4e5) or ref (api:default/payments-api-a1b2c3d4e5)',
      ),
    accountId: awsId(z, 'accountId')
      .optional()
      .describe('AWS account of the API, when its id exists in several'),
    region: awsId(z, 'region')
      .optional()
      .describe('AWS Region of the API, when its id exists in several'),
  });

  /** The caller: a VPC or one of its execute-api endpoints, described for this action. */
  const callerInput = (z: Zod, what: { vpc: string; endpoint: string }) => ({
    vpcId: awsId(z, 'vpcId').optional().describe(what.vpc),
    vpcEndpointId: awsId(z, 'vpcEndpointId').optional().describe(what.endpoint),
  });

  const apiSchema = (z: Zod) =>
    z.object({
      name: z.string(),
      apiId: z.string(),
      accountId: z.string(),
      region: z.string(),
      apiType: z.string(),
      endpointType: z.string(),
      entityRef: z.string(),
    });

  actionsRegistry.register({
    name: 'how-to-invoke',
    title: 'How to invoke a private API',
    description:
      'The ways to call an Amazon API Gateway API from a VPC or VPC endpoint, best first: whether each works from there and why, the URL per stage, the headers, and a ready curl command with the credentials the route needs.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          ...apiInput(z),
          ...callerInput(z, {
            vpc: 'The caller VPC (vpc-...)',
            endpoint: 'The caller execute-api VPC endpoint (vpce-...)',
          }),
        }),
      output: z =>
        z.object({
          api: apiSchema(z),
          vpcEndpointId: z
            .string()
            .optional()
            .describe('The endpoint the options are for'),
          options: z.array(
            z.object({
              title: z.string(),
              kind: z.string(),
              availability: z.enum(['available', 'conditional', 'unavailable']),
              urls: z.array(z.string()),
              headers: z.record(z.string(), z.string()),
              command: z.string().optional(),
              reasons: z.array(z.string()),
              fixes: z.array(z.string()),
              caveats: z.array(
                z.object({ text: z.string(), docUrl: z.string().optional() }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input }) => {
      const api = await resolveApi(store, input);
      const estate = await store.getEstateContext();
      const caller = callerFor(api, estate, input);
      return {
        output: {
          api: apiOutput(api),
          vpcEndpointId: caller?.vpcEndpoint?.vpcEndpointId,
          options: invokeOptions(api, caller).map(o => ({
            title: o.title,
            kind: o.kind,
            availability: o.availability,
            urls: o.urls.map(u => u.url),
            headers: o.headers,
            command: o.command,
            reasons: o.reasons,
            fixes: o.fixes,
            caveats: o.caveats,
          })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'apis-callable-from',
    title: 'Private APIs a VPC can call',
    description:
      'The private REST APIs whose resource policies let a VPC endpoint (vpce-...) or any execute-api endpoint of a VPC (vpc-...) in, each with the URL and command to use from there.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object(
          callerInput(z, {
            vpc: 'The caller VPC',
            endpoint: 'The caller execute-api VPC endpoint',
          }),
        ),
      output: z =>
        z.object({
          apis: z.array(
            z.object({
              name: z.string(),
              apiId: z.string(),
              accountId: z.string(),
              region: z.string(),
              entityRef: z.string(),
              vpcEndpointId: z.string(),
              how: z.string().optional(),
              url: z.string().optional(),
              command: z.string().optional(),
            }),
          ),
        }),
    },
    action: async ({ input }) => {
      if (!input.vpcId === !input.vpcEndpointId) {
        throw new InputError('Name one caller: a vpcId or a vpcEndpointId');
      }
      const estate = await store.getEstateContext();
      const known = input.vpcEndpointId
        ? estate.vpcEndpoints.some(e => e.vpcEndpointId === input.vpcEndpointId)
        : estate.vpcEndpoints.some(e => e.vpcId === input.vpcId);
      if (!known) {
        throw new InputError(
          `${
            input.vpcEndpointId ?? input.vpcId
          } has no execute-api VPC endpoint in the inventory: private APIs are called through one. Check the id, or add its account and Region to discovery.`,
        );
      }
      return {
        output: {
          apis: await apisCallableFrom(store, estate, input, entityRefOf),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'check-reachability',
    title: 'Check whether a VPC can call an API',
    description:
      'Checks every condition of a call from a VPC to an API Gateway API (execute-api endpoint in the VPC and Region, its state, the resource policy, DNS, authorization) and returns the verdict, each check, and the fix for each that failed.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          ...apiInput(z),
          vpcId: awsId(z, 'vpcId').describe('The caller VPC (vpc-...)'),
        }),
      output: z =>
        z.object({
          api: apiSchema(z),
          verdict: z.enum(['reachable', 'conditional', 'unreachable']),
          summary: z.string(),
          vpcEndpointId: z.string().optional(),
          checks: z.array(
            z.object({
              title: z.string(),
              status: z.enum(['ok', 'warning', 'failed', 'skipped']),
              message: z.string(),
              fix: z.string().optional(),
            }),
          ),
        }),
    },
    action: async ({ input }) => {
      const api = await resolveApi(store, input);
      const check = checkReachability(
        api,
        input.vpcId,
        await store.getEstateContext(),
      );
      return {
        output: {
          api: apiOutput(api),
          verdict: check.verdict,
          summary: check.summary,
          vpcEndpointId: check.vpcEndpointId,
          checks: check.checks.map(c => ({
            title: c.title,
            status: c.status,
            message: c.message,
            fix: c.fix,
          })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'request-vpc-access',
    title: 'Request VPC access to a private API',
    description:
      "Asks the owners of a private REST API to let a VPC or VPC endpoint call it. The request is recorded as the calling user (who needs the permission to request access) and goes to the API's owners for approval; nothing changes in AWS until they approve.",
    attributes: { destructive: false, idempotent: false, readOnly: false },
    schema: {
      input: z =>
        z.object({
          ...apiInput(z),
          ...callerInput(z, {
            vpc: 'The VPC that needs access',
            endpoint: 'The execute-api VPC endpoint that needs access',
          }),
          stages: z
            .array(z.string().min(1))
            .optional()
            .describe('Stages to redeploy; all by default'),
          associateEndpoint: z
            .boolean()
            .optional()
            .describe(
              'Also associate the endpoint with the API for Route 53 alias names',
            ),
          justification: z
            .string()
            .trim()
            .min(10)
            .max(2000)
            .describe('Why the VPC needs the API, in a sentence'),
        }),
      output: z =>
        z.object({
          id: z.string(),
          state: z.string(),
          requester: z.string(),
          owners: z.array(z.string()),
          api: apiSchema(z),
        }),
    },
    action: async ({ input, credentials }) => {
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          'Access requests are made by users: call this action with a user token',
        );
      }
      const [decision] = await permissions.authorize(
        [{ permission: accessRequestCreatePermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You may not request access (permission ${accessRequestCreatePermission.name})`,
        );
      }
      const api = await resolveApi(store, input);
      const request = await service.create(
        {
          accountId: api.accountId,
          region: api.region,
          apiId: api.apiId,
          vpcId: input.vpcId,
          vpcEndpointId: input.vpcEndpointId,
          stages: input.stages,
          associateEndpoint: input.associateEndpoint,
          justification: input.justification,
        },
        credentials.principal.userEntityRef,
      );
      return {
        output: {
          id: request.id,
          state: request.state,
          requester: request.requester,
          owners: request.owners,
          api: apiOutput(api),
        },
      };
    },
  });
}
