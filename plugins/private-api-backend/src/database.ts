import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const MIGRATIONS_DIR = resolvePackagePath(
  '@private-api-catalog/plugin-private-api-backend',
  'migrations',
);

/** The plugin's database, migrated to the latest schema (unless migrations are skipped). */
export async function openDatabase(database: DatabaseService): Promise<Knex> {
  const client = await database.getClient();
  if (/sqlite/.test(String(client.client.config.client))) {
    // A crawl commits a few transactions per API. In SQLite's default rollback-journal
    // mode each commit syncs the journal and the database file (about 25 ms on a shared
    // disk, most of a crawl's time); with a write-ahead log it appends and syncs once, and
    // page views read while a crawl writes. The mode is stored in the file; an in-memory
    // database keeps its own.
    await client.raw('PRAGMA journal_mode = WAL');
  }
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: MIGRATIONS_DIR });
  }
  return client;
}
