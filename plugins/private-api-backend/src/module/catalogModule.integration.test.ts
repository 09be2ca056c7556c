import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
  EntityProvider,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  generateEstate,
  Simulator,
  start,
} from '@private-api-catalog/aws-simulator';
import { privateApiPlugin, DISCOVERY_TASK_ID } from '../plugin';
import { catalogModulePrivateApiEntityProvider } from './catalogModule';
import type { RefreshResult } from './PrivateApiEntityProvider';
import {
  createTestDatabases,
  testBackendDatabase,
} from '../__testUtils__/databases';

jest.setTimeout(120_000);

const databases = createTestDatabases();

/**
 * The catalog as the provider sees it: entities kept per locationKey, delta mutations
 * applied the way the catalog applies them.
 */
class FakeCatalog {
  readonly byRef = new Map<string, { entity: Entity; locationKey?: string }>();
  readonly mutations: EntityProviderMutation[] = [];

  apply(mutation: EntityProviderMutation) {
    this.mutations.push(mutation);
    if (mutation.type !== 'delta')
      throw new Error('the provider must only send delta mutations');
    for (const removed of mutation.removed) {
      const ref =
        'entityRef' in removed
          ? removed.entityRef
          : stringifyEntityRef(removed.entity);
      this.byRef.delete(ref);
    }
    for (const { entity, locationKey } of mutation.added) {
      this.byRef.set(stringifyEntityRef(entity), { entity, locationKey });
    }
  }

  apis(): Entity[] {
    return [...this.byRef.values()]
      .map(v => v.entity)
      .filter(e => e.kind === 'API');
  }

  /** Resource entities of one `spec.type`. */
  resources(type: string): Entity[] {
    return [...this.byRef.values()]
      .map(v => v.entity)
      .filter(e => e.kind === 'Resource' && e.spec?.type === type);
  }
}

/** The simulator's state of an API as JSON (its Maps as arrays), to read ARNs from. */
function stateJson(api: object): string {
  return JSON.stringify(api, (_key, value) =>
    value instanceof Map ? [...value.values()] : value,
  );
}

describe('catalogModulePrivateApiEntityProvider with the private-api plugin and the simulator', () => {
  let simulator: Simulator;
  const catalog = new FakeCatalog();
  const tasks = new Map<string, () => Promise<void>>();
  let provider: EntityProvider & { refresh(): Promise<RefreshResult> };
  let addProcessor: jest.Mock;

  beforeAll(async () => {
    simulator = await start({
      estate: generateEstate({
        accounts: 2,
        restApisPerAccount: 4,
        httpApisPerAccount: 2,
        regions: 1,
        seed: 11,
      }),
      quotas: false,
    });
    process.env.AWS_ENDPOINT_URL_STS = simulator.url;
    const addEntityProvider = jest.fn();
    addProcessor = jest.fn();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: jest.fn(async task => {
        tasks.set(task.id, async () => {
          await task.fn(new AbortController().signal as any);
        });
      }),
    });
    const catalogService = catalogServiceMock.mock({
      getEntities: jest.fn(async request => {
        const filter = request?.filter as Record<string, string>;
        const [key, value] = Object.entries(filter)[0];
        const annotation = key.replace('metadata.annotations.', '');
        return {
          items: [...catalog.byRef.values()]
            .map(v => v.entity)
            .filter(e => e.metadata.annotations?.[annotation] === value),
        };
      }),
    });
    await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addEntityProvider, addProcessor }],
      ],
      features: [
        privateApiPlugin,
        catalogModulePrivateApiEntityProvider,
        scheduler.factory,
        await testBackendDatabase(databases),
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalogService,
        }),
        mockServices.rootConfig.factory({
          data: {
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
              regions: ['us-east-1'],
              endpoints: { default: simulator.url },
              quotas: { enabled: false },
              requestTimeoutMs: 2000,
              defaults: { owner: 'group:default/platform' },
            },
          },
        }),
      ],
    });
    provider = addEntityProvider.mock.calls[0][0];
    await provider.connect({
      applyMutation: async m => catalog.apply(m),
      refresh: async () => {},
    });
  });

  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_STS;
    await simulator.stop();
  });

  // Every discovery shard, as "Start discovery now" triggers them.
  const discover = async () => {
    for (const [id, run] of tasks) {
      if (id.startsWith(DISCOVERY_TASK_ID)) await run();
    }
  };
  /** Every API of the simulator's estate, with its account and Region. */
  const estateApis = () =>
    simulator.estate.accounts.flatMap(a =>
      [...a.regions.values()].flatMap(r =>
        [
          ...r.restApis.map(api => ({ api, id: api.id })),
          ...r.v2Apis.map(api => ({ api, id: api.apiId })),
        ].map(entry => ({ ...entry, region: r })),
      ),
    );
  const apiRefOf = (apiId: string) =>
    stringifyEntityRef(
      catalog
        .apis()
        .find(
          e =>
            e.metadata.annotations!['amazonaws.com/api-gateway-api-id'] ===
            apiId,
        )!,
    );
  /**
   * What the simulator's APIs integrate with, read from its state rather than from the
   * plugin: ARN of each Lambda function and load balancer → the API entities behind it.
   */
  const expectedDependents = (kind: 'lambda' | 'load-balancer') => {
    const byArn = new Map<string, string[]>();
    for (const { api, id, region } of estateApis()) {
      const json = stateJson(api);
      const arns = new Set<string>();
      if (kind === 'lambda') {
        for (const m of json.matchAll(
          /arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+/g,
        )) {
          arns.add(m[0]);
        }
      } else {
        for (const listener of region.listenersByArn.values()) {
          if (json.includes(listener.arn)) arns.add(listener.loadBalancerArn);
        }
        for (const link of region.vpcLinksV1) {
          if (json.includes(`"connectionId":"${link.id}"`)) {
            link.targetArns.forEach(arn => arns.add(arn));
          }
        }
      }
      for (const arn of arns) {
        byArn.set(arn, [...(byArn.get(arn) ?? []), apiRefOf(id)].sort());
      }
    }
    return byArn;
  };
  const catalogDependents = (type: string) =>
    new Map(
      catalog
        .resources(type)
        .map(e => [
          e.metadata.annotations!['amazonaws.com/arn'],
          [...(e.spec!.dependencyOf as string[])].sort(),
        ]),
    );
  const apiCount = () =>
    simulator.estate.accounts
      .flatMap(a => [...a.regions.values()])
      .reduce((n, r) => n + r.restApis.length + r.v2Apis.length, 0);

  it('registers the processor that relates Components to the APIs in front of them', () => {
    expect(addProcessor.mock.calls[0][0].getProcessorName()).toBe(
      'PrivateApiIntegrationComponentProcessor',
    );
  });

  it('emits one API entity per discovered API, scoped per account and Region', async () => {
    await discover();
    expect((await provider.refresh()).scopes).toBe(2);
    expect(catalog.mutations.every(m => m.type === 'delta')).toBe(true);
    expect(catalog.apis()).toHaveLength(apiCount());
    const keys = new Set([...catalog.byRef.values()].map(v => v.locationKey));
    expect(keys).toEqual(
      new Set(
        simulator.estate.accounts.map(a => `private-api:${a.id}/us-east-1`),
      ),
    );
    const entity = catalog.apis()[0];
    expect(entity.metadata.annotations).toMatchObject({
      'amazonaws.com/api-gateway-api-id': expect.any(String),
      'amazonaws.com/account-id': expect.stringMatching(/^\d{12}$/),
    });
    expect(entity.spec?.owner).toBeTruthy();
    // The Lambda functions and load balancers behind the APIs, each once, depended on by
    // exactly the APIs that integrate with them (or authorize with them).
    const lambdas = expectedDependents('lambda');
    const loadBalancers = expectedDependents('load-balancer');
    expect(lambdas.size).toBeGreaterThan(0);
    expect(loadBalancers.size).toBeGreaterThan(0);
    expect(catalogDependents('lambda-function')).toEqual(lambdas);
    expect(catalogDependents('load-balancer')).toEqual(loadBalancers);
    // Nothing changed: nothing to emit.
    expect(await provider.refresh()).toEqual({
      scopes: 0,
      written: 0,
      removed: 0,
    });
  });

  it('emits no mutation after a crawl that changed nothing', async () => {
    catalog.mutations.length = 0;
    await discover();
    await discover();
    expect(await provider.refresh()).toEqual({
      scopes: 0,
      written: 0,
      removed: 0,
    });
    expect(catalog.mutations).toEqual([]);
  });

  it('touches exactly the k APIs a crawl changed, in both accounts', async () => {
    const changed = simulator.estate.accounts.flatMap(a => {
      const region = a.regions.get('us-east-1')!;
      return [region.restApis[0], region.restApis[1]];
    });
    changed[0].description = 'Renamed description';
    changed[1].tags = { ...changed[1].tags, team: 'payments' };
    changed[2].name = `${changed[2].name}-v2`; // a new entity name: the old one goes
    changed[3].stages[0].deploymentId = 'redeployed'; // re-read in depth
    catalog.mutations.length = 0;

    await discover();
    const result = await provider.refresh();

    const written = catalog.mutations.flatMap(m =>
      m.type === 'delta' ? m.added.map(d => d.entity) : [],
    );
    expect(
      written
        .filter(e => e.kind === 'API')
        .map(e => e.metadata.annotations!['amazonaws.com/api-gateway-api-id'])
        .sort(),
    ).toEqual(changed.map(api => api.id).sort());
    // The renamed API's new entity name changes the relations of the endpoints its policy
    // lets in (they depend on it): those endpoint entities, and no others, are rewritten.
    const admitting = [
      ...new Set(JSON.stringify(changed[2].policy).match(/vpce-[0-9a-f]+/g)),
    ].sort();
    expect(
      written
        .filter(e => e.spec?.type === 'aws-vpc-endpoint')
        .map(e => e.metadata.name)
        .sort(),
    ).toEqual(admitting);
    // Likewise the Lambda functions and load balancers behind the renamed API, and no others.
    const renamedRef = apiRefOf(changed[2].id);
    const behindRenamed = [...catalog.byRef.values()]
      .map(v => v.entity)
      .filter(
        e =>
          e.kind === 'Resource' &&
          e.spec?.type !== 'aws-vpc-endpoint' &&
          (e.spec!.dependencyOf as string[]).includes(renamedRef),
      )
      .map(e => e.metadata.name)
      .sort();
    expect(behindRenamed.length).toBeGreaterThan(0);
    expect(
      written
        .filter(
          e => e.kind === 'Resource' && e.spec?.type !== 'aws-vpc-endpoint',
        )
        .map(e => e.metadata.name)
        .sort(),
    ).toEqual(behindRenamed);
    expect(catalogDependents('lambda-function')).toEqual(
      expectedDependents('lambda'),
    );
    expect(result).toEqual({
      scopes: 2,
      written: 4 + admitting.length + behindRenamed.length,
      removed: 1,
    });
    expect(catalog.apis()).toHaveLength(apiCount());
    expect(
      catalog.apis().find(e => e.metadata.title === changed[2].name),
    ).toBeDefined();
    expect(
      catalog
        .apis()
        .find(e => e.metadata.description === 'Renamed description'),
    ).toBeDefined();
  });

  it("leaves a failing account's entities alone and updates the others", async () => {
    const [failing, healthy] = simulator.estate.accounts;
    const before = catalog
      .apis()
      .filter(
        e => e.metadata.annotations!['amazonaws.com/account-id'] === failing.id,
      );
    simulator.setFaults([{ type: 'accessDenied', account: failing.id }]);
    // The healthy account loses an API in AWS.
    const region = healthy.regions.get('us-east-1')!;
    const gone = region.restApis.pop()!;
    region.restApisById.delete(gone.id);
    catalog.mutations.length = 0;

    await discover();
    expect((await provider.refresh()).scopes).toBe(1);

    const touched = catalog.mutations.flatMap(m =>
      m.type === 'delta' ? [...m.added, ...m.removed] : [],
    );
    expect(
      touched.every(
        d => d.locationKey === `private-api:${healthy.id}/us-east-1`,
      ),
    ).toBe(true);
    expect(
      catalog
        .apis()
        .filter(
          e =>
            e.metadata.annotations!['amazonaws.com/account-id'] === failing.id,
        ),
    ).toEqual(before);
    expect(
      catalog
        .apis()
        .some(
          e =>
            e.metadata.annotations!['amazonaws.com/api-gateway-api-id'] ===
            gone.id,
        ),
    ).toBe(false);
    expect(catalog.apis()).toHaveLength(apiCount());
    simulator.setFaults([]);
  });
});
