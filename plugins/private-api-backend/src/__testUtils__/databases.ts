import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/**
 * SQLite always; PostgreSQL too when scripts/with-postgres.sh started one (as `npm test`
 * does), named by PRIVATE_API_TEST_POSTGRES (e.g. POSTGRES_15).
 */
export function testDatabaseIds(): TestDatabaseId[] {
  const postgres = process.env.PRIVATE_API_TEST_POSTGRES as
    | TestDatabaseId
    | undefined;
  return postgres ? ['SQLITE_3', postgres] : ['SQLITE_3'];
}

export function createTestDatabases() {
  return TestDatabases.create({ ids: testDatabaseIds(), disableDocker: true });
}

export function databaseServiceFor(knex: Knex): DatabaseService {
  return { getClient: async () => knex };
}

/**
 * The database service of a `startTestBackend` backend: an in-memory SQLite that `databases`
 * destroys after the suite. Without it the backend gets Backstage's default one, which is
 * never destroyed: its pool's timer outlives the suite and keeps jest's worker alive
 * ("A worker process has failed to exit gracefully").
 */
export async function testBackendDatabase(databases: TestDatabases) {
  return mockServices.database.factory({
    knex: await databases.init('SQLITE_3'),
  });
}
