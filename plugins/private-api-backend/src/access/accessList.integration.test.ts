import type {
  PermissionCondition,
  PermissionCriteria,
  PermissionRuleParams,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  AccessRequest,
  AccessRequestState,
} from '@private-api-catalog/plugin-private-api-common';
import fc from 'fast-check';
import KnexFactory, { Knex } from 'knex';
import {
  accessEstate,
  API_ID,
  CONSUMER_VPC,
  CONSUMER_VPCE,
  PRODUCER,
} from '../__testUtils__/accessEstate';
import {
  createTestDatabases,
  databaseServiceFor,
} from '../__testUtils__/databases';
import {
  apiEntity,
  CONSUMER_USER,
  OTHER_USER,
  OWNER_USER,
  startStack,
} from './__testUtils__/accessStack';
import {
  AccessRequestStore,
  NewAccessRequest,
  TooManyOpenRequestsError,
} from './AccessRequestStore';
import {
  AccessRequestFilter,
  accessRequestConditions,
  accessRequestPermissionRules,
} from './permissions';
import { AccessRequestListFilter } from './pageQuery';

jest.setTimeout(180_000);

const databases = createTestDatabases();

const requestFor = (vpcEndpointId: string) => ({
  accountId: PRODUCER,
  region: 'us-east-1',
  apiId: API_ID,
  vpcEndpointId,
  justification: 'Checkout calls orders to create orders at payment time',
});

/** The test estate with `count` more endpoints in the consumer's VPC. */
function estateWithEndpoints(count: number) {
  const estate = accessEstate();
  const consumer = estate.accounts.find(a => a.id === '444444444444')!;
  const region = (consumer.regions as any)['us-east-1'];
  const endpoints = Array.from(
    { length: count },
    (_, i) => `vpce-0cccccccccccc${i.toString(16).padStart(4, '0')}`,
  );
  region.vpcEndpoints.push(
    ...endpoints.map(id => ({ id, vpc: CONSUMER_VPC, privateDns: false })),
  );
  return { estate, endpoints };
}

/**
 * What the list's principals table should hold, derived from the request rows, and what it
 * holds: they must be equal after every write.
 */
async function principalsOf(knex: Knex) {
  const requests = await knex('private_api_access_requests').select(
    'id',
    'requester',
    'owners',
    'state',
    'created_at',
  );
  const key = (r: Record<string, any>) =>
    [
      r.request_id,
      r.relation,
      r.principal,
      r.state,
      new Date(r.created_at).toISOString(),
    ].join(' ');
  const expected = requests
    .flatMap(r => [
      { ...r, request_id: r.id, relation: 'requester', principal: r.requester },
      ...[...new Set<string>(JSON.parse(r.owners))].map(owner => ({
        ...r,
        request_id: r.id,
        relation: 'owner',
        principal: owner,
      })),
    ])
    .map(key)
    .sort();
  const actual = (await knex('private_api_access_request_principals'))
    .map(key)
    .sort();
  return { expected, actual };
}

describe.each(databases.eachSupportedId())(
  'the access-request list on %p',
  databaseId => {
    let stack: Awaited<ReturnType<typeof startStack>> | undefined;
    afterEach(async () => {
      await stack?.stop();
      stack = undefined;
    });

    it('holds the per-user limit of open requests under 20 concurrent creates', async () => {
      const { estate, endpoints } = estateWithEndpoints(19);
      stack = await startStack(await databases.init(databaseId), {
        mode: 'direct',
        estate,
        latencyMs: 20,
        accessRequests: { maxOpenPerUser: 3 },
      });
      const { as } = stack;
      const responses = await Promise.all(
        [CONSUMER_VPCE, ...endpoints].map(vpce =>
          as(CONSUMER_USER).post('/access-requests', requestFor(vpce)),
        ),
      );
      const statuses = responses.map(r => r.status).sort();
      expect(statuses.filter(s => s === 201)).toHaveLength(3);
      expect(statuses.filter(s => s === 429)).toHaveLength(17);
      for (const r of responses.filter(x => x.status === 429)) {
        expect(r.body.error.message).toMatch(/maxOpenPerUser = 3/);
      }
      const mine = await as(CONSUMER_USER).get('/access-requests?view=mine');
      expect(mine.body.items).toHaveLength(3);

      // Cancelling one frees a place for exactly one more.
      await as(CONSUMER_USER).post(
        `/access-requests/${mine.body.items[0].id}/cancel`,
      );
      const again = await Promise.all(
        endpoints
          .slice(10, 15)
          .map(vpce =>
            as(CONSUMER_USER).post('/access-requests', requestFor(vpce)),
          ),
      );
      expect(again.filter(r => r.status === 201)).toHaveLength(1);
      expect(again.filter(r => r.status === 429)).toHaveLength(4);
    });

    it('lists what owners may see as owners change, and keeps its principals in step with every write', async () => {
      const knex = await databases.init(databaseId);
      let entity: typeof apiEntity | undefined;
      stack = await startStack(knex, {
        mode: 'direct',
        apiEntity: () => entity,
      });
      const { as } = stack;
      const consistent = async () => {
        const { expected, actual } = await principalsOf(knex);
        expect(actual).toEqual(expected);
      };
      const approvals = async (user: string, state = 'pending') =>
        (
          await as(user).get(`/access-requests?view=approvals&state=${state}`)
        ).body.items.map((r: AccessRequest) => r.id);

      // Made before the catalog knows the API: no owner yet.
      const created = await as(CONSUMER_USER).post(
        '/access-requests',
        requestFor(CONSUMER_VPCE),
      );
      expect(created.status).toBe(201);
      const id = created.body.id;
      await consistent();
      expect(await approvals(OWNER_USER)).toEqual([]);

      // The catalog learns the owner; the next look at the request resolves it.
      entity = apiEntity;
      expect(
        (await as(CONSUMER_USER).get(`/access-requests/${id}`)).status,
      ).toBe(200);
      await consistent();
      expect(await approvals(OWNER_USER)).toEqual([id]);
      expect(await approvals(OTHER_USER)).toEqual([]);

      // Ownership moves to another team: the old owner no longer sees it, the new one does.
      entity = {
        ...apiEntity,
        spec: { ...apiEntity.spec, owner: 'team-other' },
        relations: [{ type: 'ownedBy', targetRef: 'group:default/team-other' }],
      };
      expect(
        (await as(CONSUMER_USER).get(`/access-requests/${id}`)).status,
      ).toBe(200);
      await consistent();
      expect(await approvals(OWNER_USER)).toEqual([]);
      expect(await approvals(OTHER_USER)).toEqual([id]);
      expect((await as(OWNER_USER).get('/access-requests')).body.items).toEqual(
        [],
      );

      // A state change moves it between the state filters.
      expect(
        (
          await as(OTHER_USER).post(`/access-requests/${id}/reject`, {
            reason: 'Use the public API',
          })
        ).status,
      ).toBe(200);
      await consistent();
      expect(await approvals(OTHER_USER)).toEqual([]);
      expect(await approvals(OTHER_USER, 'rejected')).toEqual([id]);
      expect(
        (
          await as(CONSUMER_USER).get('/access-requests?state=rejected')
        ).body.items.map((r: AccessRequest) => r.id),
      ).toEqual([id]);
    });
  },
);

// Replicas share a PostgreSQL database. (Two processes writing one SQLite file starve each
// other into SQLITE_BUSY, whatever they write: a SQLite deployment runs one backend, and
// SQLite runs one write transaction at a time.)
const postgresIds = databases
  .eachSupportedId()
  .filter(([id]) => String(id).startsWith('POSTGRES'));
if (postgresIds.length > 0) {
  describe.each(postgresIds)('the per-user limit on %p', databaseId => {
    it('counts open requests under the requester’s lock across two replicas', async () => {
      const { connection } = ((await databases.init(databaseId)).client as any)
        .config;
      const first = KnexFactory({ client: 'pg', connection });
      const second = KnexFactory({ client: 'pg', connection });
      try {
        const replicas = [
          await AccessRequestStore.create({
            database: databaseServiceFor(first),
          }),
          await AccessRequestStore.create({
            database: databaseServiceFor(second),
          }),
        ];
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            replicas[i % 2].create(
              {
                kind: 'grant',
                entityRef: 'api:default/api-0',
                accountId: '222222222222',
                region: 'us-east-1',
                apiId: 'api0',
                apiName: 'api-0',
                stages: [],
                vpcEndpointId: `vpce-${String(i).padStart(17, '0')}`,
                associateEndpoint: false,
                justification: 'Limit test',
                requester: CONSUMER_USER,
                owners: [],
                applyMode: 'direct',
              },
              CONSUMER_USER,
              { maxOpen: 3 },
            ),
          ),
        );
        expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(3);
        const refused = results.filter(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        );
        expect(refused).toHaveLength(17);
        for (const r of refused) {
          expect(r.reason).toBeInstanceOf(TooManyOpenRequestsError);
        }
        expect(await replicas[1].countOpen(CONSUMER_USER)).toBe(3);
      } finally {
        await first.destroy();
        await second.destroy();
      }
    });
  });
}

/* The list as a query must answer exactly what the permission rules answer one by one. */

const USERS = ['user:default/u1', 'user:default/u2', 'user:default/u3'];
const GROUPS = ['group:default/g1', 'group:default/g2', 'group:default/g3'];
const PRINCIPALS = [...USERS, ...GROUPS];
const STATES: AccessRequestState[] = [
  'pending',
  'approved',
  'rejected',
  'cancelled',
];

type Condition = PermissionCondition<
  'private-api-access-request',
  PermissionRuleParams
>;
const rules = Object.values(accessRequestPermissionRules);
const toQuery = createConditionTransformer(rules);

/** The rules' own verdict on one request (what an authorize call with the resource says). */
function allows(
  criteria: PermissionCriteria<Condition>,
  request: AccessRequest,
): boolean {
  if ('anyOf' in criteria) return criteria.anyOf.some(c => allows(c, request));
  if ('allOf' in criteria) return criteria.allOf.every(c => allows(c, request));
  if ('not' in criteria) return !allows(criteria.not, request);
  const rule = rules.find(r => r.name === criteria.rule)!;
  return rule.apply(request, criteria.params as any);
}

const claims = fc.subarray(PRINCIPALS, { minLength: 0, maxLength: 3 });
const leaf = fc.oneof(
  claims.map(c => accessRequestConditions.isRequester({ claims: c })),
  claims.map(c => accessRequestConditions.isApiOwner({ claims: c })),
) as fc.Arbitrary<PermissionCriteria<Condition>>;
const { criteria: criteriaArb } = fc.letrec<{
  criteria: PermissionCriteria<Condition>;
}>(tie => ({
  criteria: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .array(tie('criteria'), { minLength: 1, maxLength: 3 })
      .map(c => ({ anyOf: c as any })),
    fc
      .array(tie('criteria'), { minLength: 1, maxLength: 3 })
      .map(c => ({ allOf: c as any })),
    tie('criteria').map(c => ({ not: c })),
  ),
}));
const filterArb: fc.Arbitrary<AccessRequestListFilter> = fc.record(
  {
    states: fc.subarray(STATES, { minLength: 1 }),
    requester: fc.constantFrom(...USERS),
    entityRef: fc.constantFrom('api:default/api-0', 'api:default/api-1'),
    kind: fc.constantFrom('grant' as const, 'revoke' as const),
  },
  { requiredKeys: [] },
);

function matches(request: AccessRequest, filter: AccessRequestListFilter) {
  return (
    (!filter.states || filter.states.includes(request.state)) &&
    (!filter.requester || request.requester === filter.requester) &&
    (!filter.entityRef || request.entityRef === filter.entityRef) &&
    (!filter.kind || request.kind === filter.kind)
  );
}

describe.each(databases.eachSupportedId())(
  'the access-request list query on %p',
  databaseId => {
    it('pages exactly the requests the permission rules allow, for any criteria and filter', async () => {
      const knex = await databases.init(databaseId);
      const store = await AccessRequestStore.create({
        database: databaseServiceFor(knex),
      });
      // 60 requests: 3 requesters, 0-2 owning groups (sometimes also a user), every state.
      const all: AccessRequest[] = [];
      for (let i = 0; i < 60; i++) {
        const owners = [
          GROUPS[i % 3],
          ...(i % 4 === 0 ? [GROUPS[(i + 1) % 3]] : []),
        ];
        if (i % 7 === 0) owners.push(USERS[(i + 2) % 3]);
        const input: NewAccessRequest = {
          kind: i % 5 === 0 ? 'revoke' : 'grant',
          entityRef: `api:default/api-${i % 2}`,
          accountId: '222222222222',
          region: 'us-east-1',
          apiId: `api${i % 2}`,
          apiName: `api-${i % 2}`,
          stages: [],
          vpcEndpointId: `vpce-${String(i).padStart(17, '0')}`,
          associateEndpoint: false,
          justification: 'Property test',
          requester: USERS[i % 3],
          owners: i % 9 === 0 ? [] : owners,
          applyMode: 'direct',
        };
        let request = await store.create(input, input.requester);
        const action = (['approve', 'reject', 'cancel', undefined] as const)[
          i % 4
        ];
        if (action) {
          request = await store.transition(request.id, {
            action,
            actor: input.requester,
          });
        }
        if (i % 6 === 0) {
          // Owners resolved anew when someone acted.
          await store.updateOwners(request.id, [GROUPS[(i + 2) % 3]]);
          request = await store.getOrThrow(request.id);
        }
        all.push(request);
      }
      const newestFirst = [...all].sort((a, b) => {
        if (a.createdAt !== b.createdAt)
          return a.createdAt < b.createdAt ? 1 : -1;
        return a.id < b.id ? 1 : -1;
      });
      const { expected, actual } = await principalsOf(knex);
      expect(actual).toEqual(expected);

      await fc.assert(
        fc.asyncProperty(
          fc.array(criteriaArb, { minLength: 0, maxLength: 2 }),
          filterArb,
          fc.integer({ min: 1, max: 25 }),
          async (criteria, filter, limit) => {
            const want = newestFirst
              .filter(r => matches(r, filter))
              .filter(r => criteria.every(c => allows(c, r)))
              .map(r => r.id);
            const got: string[] = [];
            let cursor: string | undefined;
            do {
              const page = await store.page({
                filter,
                criteria: criteria.map(
                  c =>
                    toQuery(
                      c as any,
                    ) as PermissionCriteria<AccessRequestFilter>,
                ),
                limit,
                cursor,
              });
              expect(page.items.length).toBeLessThanOrEqual(limit);
              got.push(...page.items.map(r => r.id));
              cursor = page.nextCursor;
            } while (cursor);
            expect(got).toEqual(want);
          },
        ),
        { numRuns: 200 },
      );
    });
  },
);
