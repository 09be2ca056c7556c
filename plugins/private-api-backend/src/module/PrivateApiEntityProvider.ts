import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogService,
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ApiRecord,
  apiEntityName,
  IntegrationResource,
  integrationResources,
} from '@private-api-catalog/plugin-private-api-common';
import { createHash } from 'node:crypto';
import type { ScopeStatus } from '../inventory/types';
import { EndpointWithApis, InventoryClient } from './InventoryClient';
import {
  apiToEntity,
  integrationResourceToEntity,
  scopeLocationKey,
  TransformOptions,
  vpcEndpointToEntity,
} from './transformer';

/** What one refresh wrote to the catalog. */
export interface RefreshResult {
  /** Account-Region scopes whose inventory changed since the last refresh. */
  scopes: number;
  /** Entities added or updated. */
  written: number;
  /** Entities removed. */
  removed: number;
}

type Added = DeferredEntity[];
/** What the catalog needs of an emitted API to relate it to the resources behind it. */
interface ApiDependencies {
  locationKey: string;
  owner: string;
  system?: string;
  resources: IntegrationResource[];
}
type Removed = Array<{ entityRef: string; locationKey: string }>;

function hashOf(entity: object): string {
  return createHash('sha256').update(JSON.stringify(entity)).digest('hex');
}

/**
 * Keeps the catalog in step with the inventory, writing only what changed. The inventory
 * gives each account and Region a generation that moves only when a completed crawl
 * changed something, and marks the APIs it changed and removed with that generation. A
 * refresh sends, per scope whose generation moved, delta mutations of those APIs alone
 * (with the scope's `locationKey`), and the VPC endpoint entities whose content moved.
 * A scope whose last crawl failed keeps its generation, so its entities stay as they were.
 * The Lambda functions and load balancers behind the APIs become Resource entities the APIs
 * depend on; the provider keeps what each emitted API integrates with, so it rewrites such
 * an entity only when the set of APIs depending on it changed.
 *
 * The first refresh after start-up knows nothing of what the catalog holds: it emits every
 * scope once, a page at a time, and removes what the catalog has beyond that.
 */
export class PrivateApiEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** The generation of each scope the catalog has, by locationKey. */
  private readonly emittedGenerations = new Map<string, number>();
  /** Hashes of the VPC endpoint entities the catalog has, by entity ref. */
  private readonly endpointHashes = new Map<
    string,
    { hash: string; locationKey: string }
  >();
  /** The Lambda functions and load balancers behind each emitted API, by API entity ref. */
  private readonly apiDependencies = new Map<string, ApiDependencies>();
  /** Hashes of the Lambda function and load balancer entities the catalog has, by entity ref. */
  private readonly resourceHashes = new Map<
    string,
    { hash: string; locationKey: string }
  >();

  constructor(
    private readonly options: {
      inventory: InventoryClient;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      scheduler: SchedulerService;
      schedule: SchedulerServiceTaskScheduleDefinition;
      transform: TransformOptions;
    },
  ) {}

  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    catalog: CatalogService;
    logger: LoggerService;
    scheduler: SchedulerService;
    schedule: SchedulerServiceTaskScheduleDefinition;
    transform: TransformOptions;
  }) {
    return new PrivateApiEntityProvider({
      ...options,
      inventory: new InventoryClient(options.discovery, options.auth),
    });
  }

  getProviderName(): string {
    return 'private-api-provider:default';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const id = `${this.getProviderName()}:refresh`;
    await this.options.scheduler.scheduleTask({
      id,
      ...this.options.schedule,
      fn: async () => {
        const logger = this.options.logger.child({ taskId: id });
        try {
          await this.refresh(logger);
        } catch (error) {
          logger.error(`Could not refresh private API entities: ${error}`);
        }
      },
    });
  }

  /** Writes what changed in the inventory since the last refresh. */
  async refresh(
    logger: LoggerService = this.options.logger,
  ): Promise<RefreshResult> {
    if (!this.connection) {
      throw new Error(
        'PrivateApiEntityProvider is not connected to the catalog yet',
      );
    }
    const result: RefreshResult = { scopes: 0, written: 0, removed: 0 };
    const scopes = await this.options.inventory.listScopes();
    const due = scopes.filter(
      s =>
        s.lastSuccessAt &&
        this.emittedGenerations.get(scopeLocationKey(s.accountId, s.region)) !==
          s.generation,
    );
    if (due.length === 0) return result;
    result.scopes = due.length;

    const endpoints = await this.options.inventory.listVpcEndpoints();
    const defaultedNames: string[] = [];
    // The entities of each scope emitted in full, by locationKey: the catalog's others go.
    const emittedInFull = new Map<string, Set<string>>();
    for (const scope of due) {
      const locationKey = scopeLocationKey(scope.accountId, scope.region);
      const since = this.emittedGenerations.get(locationKey);
      if (since === undefined || since > scope.generation) {
        emittedInFull.set(
          locationKey,
          await this.emitScope(scope, endpoints, defaultedNames, result),
        );
      } else {
        await this.emitScopeChanges(scope, since, defaultedNames, result);
      }
      this.emittedGenerations.set(locationKey, scope.generation);
    }
    // Endpoint entities name the APIs they serve, which other scopes' crawls change.
    const healthy = scopes
      .filter(s => s.status === 'ok')
      .map(s => scopeLocationKey(s.accountId, s.region))
      .filter(key => !emittedInFull.has(key));
    await this.emitEndpointChanges(new Set(healthy), endpoints, result);
    await this.emitIntegrationResourceChanges(result);
    for (const [locationKey, current] of emittedInFull) {
      for (const [ref, emitted] of this.resourceHashes) {
        if (emitted.locationKey === locationKey) current.add(ref);
      }
      await this.removeStale(locationKey, current, result);
    }

    if (defaultedNames.length > 0) {
      logger.warn(
        `${
          defaultedNames.length
        } entities have no owner/system/lifecycle tag (tag keys ${Object.values(
          this.options.transform.tagKeys,
        ).join(', ')}) and use the configured defaults: ${defaultedNames
          .slice(0, 10)
          .join(', ')}${defaultedNames.length > 10 ? ', ...' : ''}`,
      );
    }
    logger.info(
      `Private API entities: ${result.written} written, ${result.removed} removed, from ${result.scopes} changed account-Region scope(s)`,
    );
    return result;
  }

  private async apply(added: Added, removed: Removed, result: RefreshResult) {
    if (added.length === 0 && removed.length === 0) return;
    await this.connection!.applyMutation({ type: 'delta', added, removed });
    result.written += added.length;
    result.removed += removed.length;
  }

  private apiEntities(
    page: Array<{ api: ApiRecord; definition?: string }>,
    locationKey: string,
    defaultedNames: string[],
  ): Added {
    return page.map(({ api, definition }) => {
      const { entity, defaulted } = apiToEntity(
        api,
        definition,
        this.options.transform,
      );
      if (defaulted.includes('owner'))
        defaultedNames.push(entity.metadata.name);
      this.apiDependencies.set(stringifyEntityRef(entity), {
        locationKey,
        owner: entity.spec.owner,
        system: entity.spec.system,
        resources: integrationResources(api),
      });
      return { entity, locationKey };
    });
  }

  private endpointEntity(endpoint: EndpointWithApis) {
    // Sorted: the inventory lists associations in no particular order, and an order
    // change alone must not count as a change of the entity.
    const dependencyOf = (endpoint.associatedApis ?? [])
      .map(a => stringifyEntityRef({ kind: 'API', name: apiEntityName(a) }))
      .sort();
    // The APIs whose resource policy lets the endpoint in: what it may call.
    const dependsOn = (endpoint.admittedApis ?? [])
      .map(a => stringifyEntityRef({ kind: 'API', name: apiEntityName(a) }))
      .sort();
    return vpcEndpointToEntity(
      endpoint,
      dependencyOf,
      this.options.transform,
      dependsOn,
    ).entity;
  }

  /**
   * Every API and VPC endpoint entity of a scope, a page at a time. Returns the refs
   * emitted; what the catalog has beyond them goes once the resources behind the APIs are
   * known (`removeStale`).
   */
  private async emitScope(
    scope: ScopeStatus,
    endpoints: EndpointWithApis[],
    defaultedNames: string[],
    result: RefreshResult,
  ): Promise<Set<string>> {
    const locationKey = scopeLocationKey(scope.accountId, scope.region);
    // The scope's APIs are read afresh: forget what its APIs integrated with before.
    for (const [ref, deps] of this.apiDependencies) {
      if (deps.locationKey === locationKey) this.apiDependencies.delete(ref);
    }
    const current = new Set<string>();
    for await (const page of this.options.inventory.scopeApis(
      scope.accountId,
      scope.region,
    )) {
      const added = this.apiEntities(page, locationKey, defaultedNames);
      added.forEach(d => current.add(stringifyEntityRef(d.entity)));
      await this.apply(added, [], result);
    }
    const added: Added = [];
    for (const endpoint of endpoints) {
      const entity = this.endpointEntity(endpoint);
      if (entity.metadata.annotations![ANNOTATION_LOCATION] !== locationKey) {
        continue;
      }
      const ref = stringifyEntityRef(entity);
      current.add(ref);
      this.endpointHashes.set(ref, { hash: hashOf(entity), locationKey });
      added.push({ entity, locationKey });
    }
    await this.apply(added, [], result);
    return current;
  }

  /** Removes the catalog's entities of a scope emitted in full that are not `current`. */
  private async removeStale(
    locationKey: string,
    current: Set<string>,
    result: RefreshResult,
  ): Promise<void> {
    const existing = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_LOCATION}`]: locationKey,
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    const removed = existing.items
      .map(e => stringifyEntityRef(e))
      .filter(ref => !current.has(ref))
      .map(entityRef => ({ entityRef, locationKey }));
    await this.apply([], removed, result);
  }

  /** The APIs that crawls changed or removed after generation `since`. */
  private async emitScopeChanges(
    scope: ScopeStatus,
    since: number,
    defaultedNames: string[],
    result: RefreshResult,
  ): Promise<void> {
    const locationKey = scopeLocationKey(scope.accountId, scope.region);
    for await (const page of this.options.inventory.scopeChanges(
      scope.accountId,
      scope.region,
      { since, through: scope.generation },
    )) {
      const removed = page.removedEntityNames.map(name => ({
        entityRef: stringifyEntityRef({ kind: 'API', name }),
        locationKey,
      }));
      removed.forEach(r => this.apiDependencies.delete(r.entityRef));
      await this.apply(
        this.apiEntities(page.items, locationKey, defaultedNames),
        removed,
        result,
      );
    }
  }

  /**
   * The endpoint entities of healthy scopes whose content moved (tags, the APIs they
   * serve) and those gone from them; a failed scope's endpoints stay as they were.
   */
  private async emitEndpointChanges(
    scopes: Set<string>,
    endpoints: EndpointWithApis[],
    result: RefreshResult,
  ) {
    const added: Added = [];
    const seen = new Set<string>();
    for (const endpoint of endpoints) {
      const entity = this.endpointEntity(endpoint);
      const locationKey = entity.metadata.annotations![ANNOTATION_LOCATION];
      if (!scopes.has(locationKey)) continue;
      const ref = stringifyEntityRef(entity);
      seen.add(ref);
      const hash = hashOf(entity);
      if (this.endpointHashes.get(ref)?.hash === hash) continue;
      this.endpointHashes.set(ref, { hash, locationKey });
      added.push({ entity, locationKey });
    }
    const removed: Removed = [];
    for (const [entityRef, { locationKey }] of this.endpointHashes) {
      if (scopes.has(locationKey) && !seen.has(entityRef)) {
        removed.push({ entityRef, locationKey });
        this.endpointHashes.delete(entityRef);
      }
    }
    await this.apply(added, removed, result);
  }

  /**
   * The Lambda function and load balancer entities whose dependent APIs (or their owner)
   * changed, and those no API depends on any more.
   */
  private async emitIntegrationResourceChanges(result: RefreshResult) {
    const byArn = new Map<
      string,
      { resource: IntegrationResource; apis: string[]; first: ApiDependencies }
    >();
    const apiRefs = [...this.apiDependencies.keys()].sort();
    for (const apiRef of apiRefs) {
      const deps = this.apiDependencies.get(apiRef)!;
      for (const resource of deps.resources) {
        const entry = byArn.get(resource.arn);
        if (!entry) {
          byArn.set(resource.arn, {
            resource: { ...resource },
            apis: [apiRef],
            first: deps,
          });
          continue;
        }
        entry.apis.push(apiRef);
        // One function can be an integration of one API and the authorizer of another.
        if (
          entry.resource.kind === 'lambda-function' &&
          resource.kind === 'lambda-function'
        ) {
          entry.resource.roles = [
            ...new Set([...entry.resource.roles, ...resource.roles]),
          ].sort();
        }
      }
    }
    const added: Added = [];
    const seen = new Set<string>();
    for (const { resource, apis, first } of byArn.values()) {
      const entity = integrationResourceToEntity(resource, apis, first);
      const ref = stringifyEntityRef(entity);
      const locationKey = entity.metadata.annotations![ANNOTATION_LOCATION];
      seen.add(ref);
      const hash = hashOf(entity);
      if (this.resourceHashes.get(ref)?.hash === hash) continue;
      this.resourceHashes.set(ref, { hash, locationKey });
      added.push({ entity, locationKey });
    }
    const removed: Removed = [];
    for (const [entityRef, { locationKey }] of this.resourceHashes) {
      if (!seen.has(entityRef)) {
        removed.push({ entityRef, locationKey });
        this.resourceHashes.delete(entityRef);
      }
    }
    await this.apply(added, removed, result);
  }
}
