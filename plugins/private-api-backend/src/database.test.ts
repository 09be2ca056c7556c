import {
  createTestDatabases,
  testDatabaseIds,
} from './__testUtils__/databases';
import { transactionRetryingDeadlocks } from './database';

const databases = createTestDatabases();
const postgres = testDatabaseIds().filter(id => id.startsWith('POSTGRES'));

// SQLite has one writer at a time: only PostgreSQL can pick a deadlock's victim.
(postgres.length ? describe.each(postgres) : describe.skip.each(['none']))(
  'transactionRetryingDeadlocks on %p',
  databaseId => {
    it('runs the deadlock victim again, so that both crossing transactions land', async () => {
      const knex = await databases.init(databaseId as any);
      await knex.schema.createTable('rows', t => {
        t.string('id').primary();
        t.integer('value').notNullable();
      });
      await knex('rows').insert([
        { id: 'a', value: 0 },
        { id: 'b', value: 0 },
      ]);
      // Each transaction locks its first row, waits until the other has locked its own,
      // then asks for the other's: a deadlock on the first attempt, whatever the timing.
      let locked = 0;
      const bothLocked = async () => {
        locked++;
        while (locked < 2) await new Promise(r => setTimeout(r, 5));
      };
      let attempts = 0;
      const crossing = (first: string, second: string) =>
        transactionRetryingDeadlocks(knex, async tx => {
          attempts++;
          await tx('rows').where({ id: first }).increment('value', 1);
          await bothLocked();
          await tx('rows').where({ id: second }).increment('value', 1);
        });
      await Promise.all([crossing('a', 'b'), crossing('b', 'a')]);
      expect(attempts).toBe(3);
      expect(await knex('rows').orderBy('id').select('id', 'value')).toEqual([
        { id: 'a', value: 2 },
        { id: 'b', value: 2 },
      ]);
    });
  },
);
