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
import {
  EstateInput,
  FaultInput,
  Simulator,
  start,
} from '@private-api-catalog/aws-simulator';
import { evaluateAccess } from '@private-api-catalog/plugin-private-api-common';
import permissionBackend from '@backstage/plugin-permission-backend';
import type { Knex } from 'knex';
import request from 'supertest';
import {
  accessEstate,
  API_ID,
  CONSUMER_VPC,
  CONSUMER_VPCE,
  PRODUCER,
} from '../../__testUtils__/accessEstate';
import { authWithActorsFactory } from '../../__testUtils__/authWithActors';
import { privateApiAccessRequestDecision } from '../policy';
import {
  ACCESS_RECOVERY_TASK_ID,
  DISCOVERY_TASK_ID,
  privateApiPlugin,
} from '../../plugin';

/**
 * The whole plugin on a real database against the simulator, with the permission backend
 * and the recommended policy, for the access-request integration tests.
 */
/** The owners of the orders API administer the plugin in these tests. */
export const ADMIN_GROUP = 'group:default/team-orders';
export const CONSUMER_USER = 'user:default/dana';
export const OWNER_USER = 'user:default/olga';
export const OTHER_USER = 'user:default/mallory';
const MEMBERSHIP: Record<string, string[]> = {
  [CONSUMER_USER]: [CONSUMER_USER, 'group:default/team-checkout'],
  [OWNER_USER]: [OWNER_USER, 'group:default/team-orders'],
  [OTHER_USER]: [OTHER_USER, 'group:default/team-other'],
};
export const ENTITY_REF = `api:default/orders-internal-${API_ID}`;

export const apiEntity: Entity = {
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
              privateApiAccessRequestDecision(query, info, {
                admins: [ADMIN_GROUP],
              }) ?? {
                result: AuthorizeResult.ALLOW,
              }
            );
          },
        });
      },
    });
  },
});

export function apiState(simulator: Simulator) {
  return simulator.estate.accountsById
    .get(PRODUCER)!
    .regions.get('us-east-1')!
    .restApisById.get(API_ID)!;
}

/** What AWS now decides for an unsigned call from the consumer's endpoint to a stage. */
export function awsDecision(
  simulator: Simulator,
  stage = 'prod',
  caller: { sourceVpce: string; sourceVpc: string } = {
    sourceVpce: CONSUMER_VPCE,
    sourceVpc: CONSUMER_VPC,
  },
) {
  const policy = apiState(simulator).policy;
  if (!policy) return 'implicit-deny';
  return evaluateAccess(policy, {
    resource: `arn:aws:execute-api:us-east-1:${PRODUCER}:${API_ID}/${stage}/GET/orders`,
    ...caller,
  }).decision;
}

export async function startStack(
  knex: Knex,
  options: {
    mode: 'direct' | 'handoff';
    quotas?: boolean;
    latencyMs?: number;
    faults?: FaultInput[];
    accessRequests?: Record<string, unknown>;
    entities?: Entity[];
    /** The catalog's answer for the API entity, asked each time (owners that change). */
    apiEntity?: () => Entity | undefined;
    estate?: EstateInput;
  },
) {
  const simulator = await start({
    estate: options.estate ?? accessEstate(),
    quotas: options.quotas ? {} : false,
    latencyMs: options.latencyMs ?? 0,
    faults: options.faults,
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
      options.apiEntity
        ? catalogServiceMock.mock({
            getEntityByRef: jest.fn(async () => options.apiEntity!()),
          }).factory
        : catalogServiceMock.factory({
            entities: options.entities ?? [apiEntity],
          }),
      mockServices.database.factory({ knex }),
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
  const recover = async () => tasks.get(ACCESS_RECOVERY_TASK_ID)!();
  await discover();
  const as = (user: string) => ({
    get: (path: string) =>
      request(server)
        .get(`/api/private-api${path}`)
        .set('Authorization', mockCredentials.user.header(user)),
    post: (path: string, body: object | string = {}) =>
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
    recover,
    as,
    /** Requests as the user, for what `as` does not cover (headers, raw bodies). */
    raw: (user: string) => ({
      header: mockCredentials.user.header(user),
      agent: request(server),
    }),
    async stop() {
      delete process.env.AWS_ENDPOINT_URL_STS;
      await simulator.stop();
    },
  };
}

/** The access estate with more of the consumer's endpoints (vpce-0bbbbbbbbbbbbbbb2, 3, ...). */
export function estateWithEndpoints(extra: number): {
  estate: EstateInput;
  endpoints: string[];
} {
  const estate = accessEstate();
  const consumer = estate.accounts.find(a => a.id === '444444444444')!;
  const region = (consumer.regions as any)['us-east-1'];
  const endpoints = Array.from(
    { length: extra },
    (_, i) => `vpce-0bbbbbbbbbbbbbbb${i + 2}`,
  );
  region.vpcEndpoints.push(
    ...endpoints.map(id => ({ id, vpc: CONSUMER_VPC, privateDns: false })),
  );
  return { estate, endpoints };
}
