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

/** PostgreSQL's `deadlock_detected`: it rolled this transaction back to let the other go on. */
const DEADLOCK_DETECTED = '40P01';
const DEADLOCK_ATTEMPTS = 4;

/**
 * Runs a transaction, again when PostgreSQL chose it as a deadlock's victim. Transactions
 * that update many rows of one scope (a crawl's completion marks every changed API, a bulk
 * write stores 500) can lock rows in orders that cross; PostgreSQL then rolls one of them
 * back whole, and running it again is the documented remedy. The body must touch nothing but
 * the transaction, so that a second run starts from what the first found.
 */
export async function transactionRetryingDeadlocks<T>(
  db: Knex,
  body: (tx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(body);
    } catch (error) {
      if (
        (error as { code?: string }).code !== DEADLOCK_DETECTED ||
        attempt >= DEADLOCK_ATTEMPTS
      ) {
        throw error;
      }
      // A short random pause, so that the two transactions do not meet again at once.
      await new Promise(r => setTimeout(r, 20 + Math.random() * 80 * attempt));
    }
  }
}
