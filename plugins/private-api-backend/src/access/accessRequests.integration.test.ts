import {
  createBackendModule,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Simulator, start } from '@private-api-catalog/aws-simulator';
import {
  AccessRequest,
  evaluateAccess,
} from '@private-api-catalog/plugin-private-api-common';
import permissionBackend from '@backstage/plugin-permission-backend';
import request from 'supertest';
import {
  accessEstate,
  API_ID,
  CONSUMER_EU_VPCE,
  CONSUMER_VPC,
  CONSUMER_VPC_WITHOUT_ENDPOINT,
  CONSUMER_VPCE,
  PRODUCER,
  PRODUCER_VPCE,
} from '../__testUtils__/accessEstate';
import { authWithActorsFactory } from '../__testUtils__/authWithActors';
import { createTestDatabases } from '../__testUtils__/databases';
import { privateApiAccessRequestDecision } from './policy';
import { DISCOVERY_TASK_ID, privateApiPlugin } from '../plugin';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const CONSUMER_USER = 'user:default/dana';
const OWNER_USER = 'user:default/olga';
const OTHER_USER = 'user:default/mallory';
const MEMBERSHIP: Record<string, string[]> = {
  [CONSUMER_USER]: [CONSUMER_USER, 'group:default/team-checkout'],
  [OWNER_USER]: [OWNER_USER, 'group:default/team-orders'],
  [OTHER_USER]: [OTHER_USER, 'group:default/team-other'],
};
const ENTITY_REF = `api:default/orders-internal-${API_ID}`;

const apiEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name: `orders-internal-${API_ID}`, namespace: 'default' },
  spec: {
    type: 'openapi',
    owner: 'team-orders',
    lifecycle: 'production',
    definition: '{}',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-orders' }],
};

/** The permission backend with the recommended policy, and users with group memberships. */
const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy({
          async handle(query, user) {
            const info = user
              ? await userInfo.getUserInfo(user.credentials)
              : undefined;
            return (
              privateApiAccessRequestDecision(query, info) ?? {
                result: AuthorizeResult.ALLOW,
              }
            );
          },
        });
      },
    });
  },
});

function apiState(simulator: Simulator) {
  return simulator.estate.accountsById
    .get(PRODUCER)!
    .regions.get('us-east-1')!
    .restApisById.get(API_ID)!;
}

/** What AWS now decides for an unsigned call from the consumer's endpoint to a stage. */
function awsDecision(simulator: Simulator, stage = 'prod') {
  const policy = apiState(simulator).policy;
  if (!policy) return 'implicit-deny';
  return evaluateAccess(policy, {
    resource: `arn:aws:execute-api:us-east-1:${PRODUCER}:${API_ID}/${stage}/GET/orders`,
    sourceVpce: CONSUMER_VPCE,
    sourceVpc: CONSUMER_VPC,
  }).decision;
}

async function startStack(
  databaseId: Parameters<typeof databases.init>[0],
  options: {
    mode: 'direct' | 'handoff';
    quotas?: boolean;
    latencyMs?: number;
    accessRequests?: Record<string, unknown>;
    entities?: Entity[];
  },
) {
  const simulator = await start({
    estate: accessEstate(),
    quotas: options.quotas ? {} : false,
    latencyMs: options.latencyMs ?? 0,
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
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: jest.fn(async (credentials: any) => ({
      userEntityRef: credentials.principal.userEntityRef,
      ownershipEntityRefs: MEMBERSHIP[credentials.principal.userEntityRef] ?? [
        credentials.principal.userEntityRef,
      ],
    })),
  });
  const { server } = await startTestBackend({
    features: [
      privateApiPlugin,
      permissionBackend,
      authWithActorsFactory,
      policyModule,
      scheduler.factory,
      userInfo.factory,
      catalogServiceMock.factory({ entities: options.entities ?? [apiEntity] }),
      mockServices.database.factory({ knex: await databases.init(databaseId) }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          aws: {
            mainAccount: { accessKeyId: 'k', secretAccessKey: 's' },
            accountDefaults: { roleName: 'BackstageDiscovery' },
          },
          privateApi: {
            // Each run of a shard crawls all its accounts (no cycle to wait for).
            schedule: {
              frequency: { trigger: 'manual' },
              timeout: { minutes: 5 },
            },
            accounts: simulator.estate.accounts.map(a => ({
              accountId: a.id,
              name: a.name,
            })),
            regions: ['us-east-1', 'eu-west-1'],
            endpoints: { default: simulator.url },
            quotas: { enabled: options.quotas ?? false },
            maxAttempts: 2,
            requestTimeoutMs: 5000,
            accessRequests: {
              mode: options.mode,
              ...options.accessRequests,
            },
          },
        },
      }),
    ],
  });
  // Every discovery shard, as "Start discovery now" triggers them.
  const discover = async () => {
    for (const [id, run] of tasks) {
      if (id.startsWith(DISCOVERY_TASK_ID)) await run();
    }
  };
  await discover();
  const as = (user: string) => ({
    get: (path: string) =>
      request(server)
        .get(`/api/private-api${path}`)
        .set('Authorization', mockCredentials.user.header(user)),
    post: (path: string, body: object = {}) =>
      request(server)
        .post(`/api/private-api${path}`)
        .set('Authorization', mockCredentials.user.header(user))
        .send(body),
  });
  return {
    server,
    tasks,
    simulator,
    discover,
    as,
    async stop() {
      delete process.env.AWS_ENDPOINT_URL_STS;
      await simulator.stop();
    },
  };
}

const newRequest = {
  accountId: PRODUCER,
  region: 'us-east-1',
  apiId: API_ID,
  vpcEndpointId: CONSUMER_VPCE,
  associateEndpoint: true,
  justification: 'Checkout calls orders to create orders at payment time',
};

describe.each(databases.eachSupportedId())(
  'access requests against the simulator on %p',
  databaseId => {
    let stack: Awaited<ReturnType<typeof startStack>> | undefined;
    afterEach(async () => {
      await stack?.stop();
      stack = undefined;
    });

    it('goes request → approve → apply → verified in direct mode, within the deployment quota, with an audit trail', async () => {
      stack = await startStack(databaseId, { mode: 'direct', quotas: true });
      const { as, simulator, discover } = stack;
      expect(awsDecision(simulator)).toBe('explicit-deny');

      const created = await as(CONSUMER_USER).post(
        '/access-requests',
        newRequest,
      );
      expect(created.status).toBe(201);
      const id = (created.body as AccessRequest).id;
      expect(created.body).toMatchObject({
        state: 'pending',
        requester: CONSUMER_USER,
        owners: ['group:default/team-orders'],
        entityRef: ENTITY_REF,
        applyMode: 'direct',
      });

      // Permissions: others neither see nor approve; the owner's queue has it.
      expect((await as(OTHER_USER).get(`/access-requests/${id}`)).status).toBe(
        403,
      );
      expect((await as(OTHER_USER).get('/access-requests')).body.items).toEqual(
        [],
      );
      expect(
        (await as(OTHER_USER).post(`/access-requests/${id}/approve`)).status,
      ).toBe(403);
      expect(
        (await as(CONSUMER_USER).post(`/access-requests/${id}/approve`)).status,
      ).toBe(403);
      expect(
        (
          await as(OWNER_USER).get('/access-requests?view=approvals')
        ).body.items.map((r: AccessRequest) => r.id),
      ).toEqual([id]);
      expect(
        (
          await as(CONSUMER_USER).get('/access-requests?view=mine')
        ).body.items.map((r: AccessRequest) => r.id),
      ).toEqual([id]);

      const approved = await as(OWNER_USER).post(
        `/access-requests/${id}/approve`,
        { comment: 'ok for checkout' },
      );
      expect(approved.status).toBe(200);
      expect(approved.body.state).toBe('approved');
      expect(approved.body.proposedChange.diff).toContain(CONSUMER_VPCE);
      expect(
        (await as(OWNER_USER).post(`/access-requests/${id}/approve`)).status,
      ).toBe(409);

      simulator.resetStats();
      const applied = await as(OWNER_USER).post(`/access-requests/${id}/apply`);
      expect(applied.status).toBe(200);
      expect(applied.body).toMatchObject({ state: 'applied' });
      expect(awsDecision(simulator, 'prod')).toBe('allow');
      expect(awsDecision(simulator, 'dev')).toBe('allow');
      expect(apiState(simulator).vpcEndpointIds).toContain(CONSUMER_VPCE);
      const stats = simulator.stats();
      expect(
        Object.values(stats.calls['apigateway:CreateDeployment'] ?? {}).reduce(
          (a, b) => a + b,
          0,
        ),
      ).toBe(2);
      expect(stats.throttled['apigateway:CreateDeployment']).toBeUndefined();

      await discover();
      const verified = await as(CONSUMER_USER).get(`/access-requests/${id}`);
      expect(verified.body.state).toBe('verified');
      expect(verified.body.events.map((e: any) => e.action)).toEqual([
        'create',
        'approve',
        'apply',
        'apply-succeeded',
        'verify',
      ]);
      const applyEvent = verified.body.events.find(
        (e: any) => e.action === 'apply-succeeded',
      );
      expect(applyEvent.actor).toBe(OWNER_USER);
      expect(applyEvent.policyBefore).not.toContain(CONSUMER_VPCE);
      expect(applyEvent.policyAfter).toContain(CONSUMER_VPCE);
      expect(verified.body.events.at(-1).actor).toBe('discovery');
    });

    it('hands the change to IaC in handoff mode, and verifies once it is applied elsewhere', async () => {
      stack = await startStack(databaseId, { mode: 'handoff' });
      const { as, simulator, discover } = stack;
      const { id } = (
        await as(CONSUMER_USER).post('/access-requests', {
          ...newRequest,
          associateEndpoint: false,
        })
      ).body;
      const approved = await as(OWNER_USER).post(
        `/access-requests/${id}/approve`,
      );
      expect(approved.body.state).toBe('approved');
      expect(approved.body.proposedChange.terraform).toContain(
        'resource "aws_api_gateway_rest_api_policy"',
      );
      expect(approved.body.proposedChange.cloudFormation).toContain('Policy:');
      const apply = await as(OWNER_USER).post(`/access-requests/${id}/apply`);
      expect(apply.status).toBe(400);
      expect(apply.body.error.message).toMatch(/hands changes off to IaC/);

      // Nothing changes until the owners' pipeline applies the proposed policy.
      await discover();
      expect(
        (await as(CONSUMER_USER).get(`/access-requests/${id}`)).body.state,
      ).toBe('approved');
      apiState(simulator).policy = approved.body.proposedChange.policy;
      await discover();
      expect(
        (await as(CONSUMER_USER).get(`/access-requests/${id}`)).body.state,
      ).toBe('verified');
    });

    it('rolls back the policy and the association when a deployment fails', async () => {
      stack = await startStack(databaseId, { mode: 'direct', latencyMs: 20 });
      const { as, simulator } = stack;
      const { id } = (
        await as(CONSUMER_USER).post('/access-requests', newRequest)
      ).body;
      await as(OWNER_USER).post(`/access-requests/${id}/approve`);
      simulator.setFaults([
        {
          type: 'serverError',
          account: PRODUCER,
          operation: 'CreateDeployment',
          rate: 1,
          status: 503,
        },
      ]);

      const failed = await as(OWNER_USER).post(`/access-requests/${id}/apply`);
      expect(failed.body.state).toBe('failed');
      expect(failed.body.failure.message).toMatch(
        /taken out of the policy[\s\S]*nothing is live/,
      );
      expect(failed.body.deployments).toEqual([
        expect.objectContaining({
          stage: 'prod',
          status: 'failed',
          live: false,
        }),
        expect.objectContaining({
          stage: 'dev',
          status: 'not-attempted',
          live: false,
        }),
      ]);
      expect(apiState(simulator).policy).not.toContain(CONSUMER_VPCE);
      expect(apiState(simulator).vpcEndpointIds).not.toContain(CONSUMER_VPCE);
      expect(awsDecision(simulator)).toBe('explicit-deny');

      // Fixed: the retry applies once, without granting twice.
      simulator.setFaults([]);
      const retried = await as(OWNER_USER).post(`/access-requests/${id}/apply`);
      expect(retried.body.state).toBe('applied');
      expect(
        (
          apiState(simulator).policy!.match(new RegExp(CONSUMER_VPCE, 'g')) ??
          []
        ).length,
      ).toBe(1);
    });

    it('applies on top of an unrelated edit made since approval, and asks for a fresh review when the change to make is different', async () => {
      stack = await startStack(databaseId, { mode: 'direct' });
      const { as, simulator } = stack;
      const { id } = (
        await as(CONSUMER_USER).post('/access-requests', newRequest)
      ).body;
      await as(OWNER_USER).post(`/access-requests/${id}/approve`);
      // Someone adds another endpoint in the console meanwhile: the same edit still applies.
      apiState(simulator).policy = apiState(simulator).policy!.replace(
        PRODUCER_VPCE,
        `${PRODUCER_VPCE}","vpce-0eeeeeeeeeeeeeee1`,
      );
      const applied = await as(OWNER_USER).post(`/access-requests/${id}/apply`);
      expect(applied.body.state).toBe('applied');
      expect(apiState(simulator).policy).toContain('vpce-0eeeeeeeeeeeeeee1');
      expect(awsDecision(simulator)).toBe('allow');

      // Someone rewrites the policy to an allow list: the approved edit no longer fits.
      await as(CONSUMER_USER).post(`/access-requests/${id}/cancel`);
      const second = (
        await as(CONSUMER_USER).post('/access-requests', {
          ...newRequest,
          vpcEndpointId: undefined,
          associateEndpoint: false,
          vpcId: CONSUMER_VPC,
        })
      ).body;
      expect(second.state).toBe('pending');
      await as(OWNER_USER).post(`/access-requests/${second.id}/approve`);
      const rewritten = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
            Condition: { StringEquals: { 'aws:SourceVpce': [PRODUCER_VPCE] } },
          },
        ],
      });
      apiState(simulator).policy = rewritten;
      const response = await as(OWNER_USER).post(
        `/access-requests/${second.id}/apply`,
      );
      expect(response.body.state).toBe('pending');
      expect(response.body.events.at(-1).message).toMatch(
        /changed since the request was approved/,
      );
      expect(apiState(simulator).policy).toBe(rewritten);
    });

    it('says what is wrong with a bad request, and makes none', async () => {
      stack = await startStack(databaseId, { mode: 'direct' });
      const { as } = stack;
      const bad = async (body: object) =>
        as(CONSUMER_USER).post('/access-requests', { ...newRequest, ...body });

      const badId = await bad({ vpcEndpointId: 'vpce-xyz' });
      expect(badId.status).toBe(400);
      expect(badId.body.error.message).toMatch(
        /vpcEndpointId: must be vpce- followed by 8 or 17 hexadecimal digits/,
      );
      expect(
        (await bad({ vpcEndpointId: CONSUMER_EU_VPCE })).body.error.message,
      ).toMatch(/is in eu-west-1 but orders-internal is in us-east-1/);
      const noEndpoint = await bad({
        vpcEndpointId: undefined,
        associateEndpoint: false,
        vpcId: CONSUMER_VPC_WITHOUT_ENDPOINT,
      });
      expect(noEndpoint.status).toBe(400);
      expect(noEndpoint.body.error.message).toMatch(
        /has no execute-api VPC endpoint in us-east-1[\s\S]*aws ec2 create-vpc-endpoint/,
      );
      // A VPC of another Region: the Region is wrong, an endpoint there would not help.
      const otherRegion = await bad({
        vpcEndpointId: undefined,
        associateEndpoint: false,
        vpcId: 'vpc-0ddddddddddddddd1',
      });
      expect(otherRegion.status).toBe(400);
      expect(otherRegion.body.error.message).toMatch(
        /vpc-0ddddddddddddddd1 is in eu-west-1, and orders-internal is a private API in us-east-1[\s\S]*Call it from a VPC in us-east-1/,
      );
      expect(otherRegion.body.error.message).not.toMatch(/create-vpc-endpoint/);
      const already = await bad({
        vpcEndpointId: PRODUCER_VPCE,
        associateEndpoint: false,
      });
      expect(already.status).toBe(400);
      expect(already.body.error.message).toMatch(
        /may already call orders-internal/,
      );
      expect((await bad({ stages: ['qa'] })).body.error.message).toMatch(
        /has no stage qa; its stages are/,
      );
      expect((await bad({ justification: 'pls' })).body.error.message).toMatch(
        /justification/,
      );

      expect((await bad({})).status).toBe(201);
      const duplicate = await bad({});
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.message).toMatch(
        /An open request \([0-9a-f-]{36}, pending\) already exists/,
      );
      expect(
        (await as(OWNER_USER).get('/access-requests')).body.items,
      ).toHaveLength(1);
    });

    it('lets only the requester cancel', async () => {
      stack = await startStack(databaseId, { mode: 'direct' });
      const { as } = stack;
      const { id } = (
        await as(CONSUMER_USER).post('/access-requests', newRequest)
      ).body;
      expect(
        (await as(OWNER_USER).post(`/access-requests/${id}/cancel`)).status,
      ).toBe(403);
      expect(
        (await as(CONSUMER_USER).post(`/access-requests/${id}/cancel`)).body
          .state,
      ).toBe('cancelled');
      expect(
        (await as(OWNER_USER).post(`/access-requests/${id}/approve`)).status,
      ).toBe(409);
    });
  },
);
