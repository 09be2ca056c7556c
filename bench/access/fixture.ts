/*
 * The stored access requests of the access benchmarks (bench/access, bench/serving): 10,000
 * requests over 200 APIs, 100 requesters and 20 owning groups, in every state, written
 * through the real store.
 */
import type { BackstageUserInfo } from '@backstage/backend-plugin-api';
import type { AccessRequestState } from '@private-api-catalog/plugin-private-api-common';
import type { Knex as KnexType } from 'knex';
import type { AccessRequestStore } from '../../plugins/private-api-backend/src/access/AccessRequestStore';

const STATES: AccessRequestState[] = [
  'pending',
  'approved',
  'applied',
  'verified',
  'rejected',
  'cancelled',
  'failed',
  'needs-attention',
];
export const API_COUNT = 200;
export const REQUESTERS = 100;
export const GROUPS = 20;

export const userRef = (i: number) => `user:default/user-${i}`;
export const groupRef = (i: number) => `group:default/team-${i}`;
/** Each user is in one group; API i is owned by group i % GROUPS. */
export const userInfo = (i: number): BackstageUserInfo => ({
  userEntityRef: userRef(i),
  ownershipEntityRefs: [userRef(i), groupRef(i % GROUPS)],
});

/** Stores `count` requests; returns the time it took in ms. */
export async function seed(
  store: AccessRequestStore,
  db: KnexType,
  count: number,
) {
  const started = Date.now();
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const batch = 16;
  for (let start = 0; start < count; start += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - start) }, (_, k) => {
        const i = start + k;
        const api = i % API_COUNT;
        return store.create(
          {
            kind: i % 10 === 0 ? 'revoke' : 'grant',
            entityRef: `api:default/api-${api}`,
            accountId: '222222222222',
            region: 'us-east-1',
            apiId: `api${hex(api, 7)}`,
            apiName: `api-${api}`,
            stages: [],
            // A caller per request: the open-request constraint holds.
            vpcEndpointId: `vpce-${hex(i, 17)}`,
            vpcId: `vpc-${hex(i % 500, 17)}`,
            associateEndpoint: false,
            justification: 'Benchmark request: the service calls this API',
            requester: userRef(i % REQUESTERS),
            owners: [groupRef(api % GROUPS)],
            applyMode: 'direct',
          },
          userRef(i % REQUESTERS),
        );
      }),
    );
  }
  // States spread over the requests (the store's transitions would take 10,000 × 2 writes
  // more; the list does not care how a state was reached).
  for (const [n, state] of STATES.entries()) {
    const ids = (
      await db('private_api_access_requests').select('id').orderBy('id')
    )
      .filter((_, i) => i % STATES.length === n)
      .map(r => r.id);
    for (let i = 0; i < ids.length; i += 500) {
      await db('private_api_access_requests')
        .whereIn('id', ids.slice(i, i + 500))
        .update({
          state,
          open_key: ['rejected', 'cancelled', 'verified'].includes(state)
            ? null
            : db.raw('open_key'),
        });
      // The list's principals carry a copy of the state (the store's transitions keep it).
      await db('private_api_access_request_principals')
        .whereIn('request_id', ids.slice(i, i + 500))
        .update({ state });
    }
  }
  return Date.now() - started;
}
