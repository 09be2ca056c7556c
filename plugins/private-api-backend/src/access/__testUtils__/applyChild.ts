/*
 * A backend replica that applies one access request and is killed mid-apply by the
 * recovery test. Run with `node --require @backstage/cli-node/config/nodeTransform.cjs`.
 * Input (JSON in PRIVATE_API_CHILD): { connection, client, simulatorUrl, accounts,
 * regions, leaseSeconds, requestId, actor }.
 */
import Knex from 'knex';
import { standaloneAccessService } from './standaloneService';

async function main() {
  const input = JSON.parse(process.env.PRIVATE_API_CHILD ?? '{}');
  const knex = Knex({
    client: input.client,
    connection: input.connection,
    useNullAsDefault: true,
  });
  const { service } = await standaloneAccessService({
    knex,
    simulatorUrl: input.simulatorUrl,
    accounts: input.accounts,
    regions: input.regions,
    leaseSeconds: input.leaseSeconds,
    owners: [],
  });
  process.stdout.write('applying\n');
  await service.apply(input.requestId, input.actor);
  process.stdout.write('done\n');
  await knex.destroy();
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
