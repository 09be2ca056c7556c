import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import { Simulator, start } from '@private-api-catalog/aws-simulator';
import {
  accessRequestCreatePermission,
  AccessRequest,
} from '@private-api-catalog/plugin-private-api-common';
import request from 'supertest';
import {
  accessEstate,
  API_ID,
  CONSUMER_VPC,
  CONSUMER_VPCE,
  PRODUCER,
  PRODUCER_VPCE,
} from '../__testUtils__/accessEstate';
import { authWithActorsFactory } from '../__testUtils__/authWithActors';
import { createTestDatabases } from '../__testUtils__/databases';
import { DISCOVERY_TASK_ID, privateApiPlugin } from '../plugin';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const CONSUMER_USER = 'user:default/dana';
/** A user the policy refuses `private-api.access-request.create`. */
const READ_ONLY_USER = 'user:default/rita';
const ENTITY_NAME = `orders-internal-${API_ID}`;

const apiEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: ENTITY_NAME, namespace: 'default' },
  spec: { type: 'openapi', owner: 'team-orders', lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-orders' }],
};

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(query, user) {
            const denied =
              query.permission.name === accessRequestCreatePermission.name &&
              user?.info.userEntityRef === READ_ONLY_USER;
            return {
              result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
            };
          },
        });
      },
    });
  },
});

/** The JSON-RPC result of one MCP request over streamable HTTP (a server-sent event). */
function rpcResult(response: request.Response) {
  expect(response.status).toBe(200);
  const data = response.text
    .split('\n')
    .find(line => line.startsWith('data: '));
  expect(data).toBeDefined();
  return JSON.parse(data!.slice('data: '.length));
}

async function startStack(databaseId: Parameters<typeof databases.init>[0]) {
  const simulator: Simulator = await start({
    estate: accessEstate(),
    quotas: false,
  });
  process.env.AWS_ENDPOINT_URL_STS = simulator.url;
  const tasks = new Map<string, () => Promise<void>>();
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: jest.fn(async task => {
      tasks.set(task.id, async () =>
        task.fn(new AbortController().signal as any),
      );
    }),
  });
  const { server } = await startTestBackend({
    features: [
      privateApiPlugin,
      mcpActionsPlugin,
      permissionBackend,
      policyModule,
      authWithActorsFactory,
      actionsRegistryServiceFactory,
      actionsServiceFactory,
      scheduler.factory,
      catalogServiceMock.factory({ entities: [apiEntity] }),
      mockServices.database.factory({ knex: await databases.init(databaseId) }),
      mockServices.rootConfig.factory({
        data: {
          backend: { actions: { pluginSources: ['private-api'] } },
          permission: { enabled: true },
          aws: {
            mainAccount: { accessKeyId: 'k', secretAccessKey: 's' },
            accountDefaults: { roleName: 'BackstageDiscovery' },
          },
          privateApi: {
            accounts: simulator.estate.accounts.map(a => ({
              accountId: a.id,
              name: a.name,
            })),
            regions: ['us-east-1', 'eu-west-1'],
            endpoints: { default: simulator.url },
            quotas: { enabled: false },
            maxAttempts: 2,
            requestTimeoutMs: 5000,
          },
        },
      }),
    ],
  });
  await tasks.get(DISCOVERY_TASK_ID)!();

  let id = 0;
  const mcp = (user: string, method: string, params: object = {}) =>
    request(server)
      .post('/api/mcp-actions/v1')
      .set('Authorization', mockCredentials.user.header(user))
      .set('Accept', 'application/json, text/event-stream')
      .send({ jsonrpc: '2.0', id: ++id, method, params })
      .then(rpcResult);
  const callTool = async (
    user: string,
    name: string,
    args: Record<string, unknown>,
  ) => {
    const { result } = await mcp(user, 'tools/call', {
      name: `private-api.${name}`,
      arguments: args,
    });
    const text = result.content[0].text as string;
    return result.isError
      ? { error: text }
      : { output: JSON.parse(text), error: undefined };
  };
  return {
    server,
    mcp,
    callTool,
    async stop() {
      delete process.env.AWS_ENDPOINT_URL_STS;
      await simulator.stop();
    },
  };
}

describe.each(databases.eachSupportedId())(
  'actions through the MCP server on %p',
  databaseId => {
    let stack: Awaited<ReturnType<typeof startStack>>;
    beforeAll(async () => {
      stack = await startStack(databaseId);
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it('lists the four tools with their schemas and attributes (tools/list)', async () => {
      const { result } = await stack.mcp(CONSUMER_USER, 'tools/list');
      const tools = new Map<string, any>(
        result.tools.map((t: any) => [t.name, t]),
      );
      expect([...tools.keys()].sort()).toEqual([
        'private-api.apis-callable-from',
        'private-api.check-reachability',
        'private-api.how-to-invoke',
        'private-api.request-vpc-access',
      ]);
      expect(tools.get('private-api.request-vpc-access').annotations).toEqual(
        expect.objectContaining({
          destructiveHint: false,
          idempotentHint: false,
          readOnlyHint: false,
        }),
      );
      expect(
        tools.get('private-api.check-reachability').annotations.readOnlyHint,
      ).toBe(true);
      expect(
        tools.get('private-api.check-reachability').inputSchema.required,
      ).toEqual(['api', 'vpcId']);
    });

    it('answers which APIs an endpoint may call, with the URL to use (apis-callable-from)', async () => {
      const allowed = await stack.callTool(
        CONSUMER_USER,
        'apis-callable-from',
        { vpcEndpointId: PRODUCER_VPCE },
      );
      expect(allowed.output.apis).toEqual([
        expect.objectContaining({
          apiId: API_ID,
          accountId: PRODUCER,
          entityRef: `api:default/${ENTITY_NAME}`,
          vpcEndpointId: PRODUCER_VPCE,
          url: expect.stringContaining(API_ID),
          command: expect.stringContaining('curl'),
        }),
      ]);
      // The policy denies every other endpoint.
      const denied = await stack.callTool(CONSUMER_USER, 'apis-callable-from', {
        vpcId: CONSUMER_VPC,
      });
      expect(denied.output.apis).toEqual([]);

      const unknown = await stack.callTool(
        CONSUMER_USER,
        'apis-callable-from',
        { vpcEndpointId: 'vpce-0fffffffffffffff1' },
      );
      expect(unknown.error).toMatch(
        /vpce-0fffffffffffffff1 has no execute-api VPC endpoint in the inventory/,
      );
    });

    it('says how to invoke from an endpoint and why a VPC cannot call (how-to-invoke, check-reachability)', async () => {
      const how = await stack.callTool(CONSUMER_USER, 'how-to-invoke', {
        api: ENTITY_NAME,
        vpcEndpointId: PRODUCER_VPCE,
      });
      expect(how.output.vpcEndpointId).toBe(PRODUCER_VPCE);
      expect(how.output.options[0]).toMatchObject({
        availability: 'available',
        command: expect.stringContaining('curl'),
      });

      const check = await stack.callTool(CONSUMER_USER, 'check-reachability', {
        api: `api:default/${ENTITY_NAME}`,
        vpcId: CONSUMER_VPC,
      });
      expect(check.output.verdict).toBe('unreachable');
      expect(check.output.vpcEndpointId).toBe(CONSUMER_VPCE);
      const failed = check.output.checks.filter(
        (c: any) => c.status === 'failed',
      );
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0].fix).toBeTruthy();

      const bad = await stack.callTool(CONSUMER_USER, 'check-reachability', {
        api: API_ID,
        vpcId: 'my-vpc',
      });
      expect(bad.error).toMatch(/vpcId/);
    });

    it('records an access request as the calling user, under their permission (request-vpc-access)', async () => {
      const created = await stack.callTool(
        CONSUMER_USER,
        'request-vpc-access',
        {
          api: API_ID,
          vpcEndpointId: CONSUMER_VPCE,
          justification: 'Checkout creates orders at payment time',
        },
      );
      expect(created.error).toBeUndefined();
      expect(created.output).toMatchObject({
        state: 'pending',
        requester: CONSUMER_USER,
        owners: ['group:default/team-orders'],
      });
      const mine = await request(stack.server)
        .get('/api/private-api/access-requests?view=mine')
        .set('Authorization', mockCredentials.user.header(CONSUMER_USER));
      expect(mine.body.items.map((r: AccessRequest) => r.id)).toContain(
        created.output.id,
      );

      const refused = await stack.callTool(
        READ_ONLY_USER,
        'request-vpc-access',
        {
          api: API_ID,
          vpcEndpointId: CONSUMER_VPCE,
          justification: 'Reports read orders every night',
        },
      );
      expect(refused.error).toMatch(/You may not request access/);
    });
  },
);
