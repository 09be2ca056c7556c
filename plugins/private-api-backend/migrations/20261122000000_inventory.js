/*
 * The inventory of discovered API Gateway APIs. Queryable facts are columns; the rest of
 * each record is JSON text (portable across SQLite and PostgreSQL). Rows of an account and
 * Region are replaced only by a successful crawl of that scope: a failed crawl keeps them.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('private_api_scopes', table => {
    table.comment('Crawl status per account and Region');
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('account_name');
    table.string('status', 16).notNullable().defaultTo('never');
    table.timestamp('last_started_at', { useTz: true });
    table.timestamp('last_success_at', { useTz: true });
    table.timestamp('last_full_crawl_at', { useTz: true });
    table.timestamp('last_failure_at', { useTz: true });
    table.string('last_error_code');
    table.text('last_error_message');
    table.integer('last_duration_ms');
    table.integer('last_calls');
    table.integer('last_throttled');
    table.integer('api_count').notNullable().defaultTo(0);
    table.bigInteger('generation').notNullable().defaultTo(0);
    table.primary(['account_id', 'region']);
  });

  await knex.schema.createTable('private_api_apis', table => {
    table.comment('One row per discovered API');
    table.string('api_key').primary().notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('api_id').notNullable();
    table.string('name').notNullable();
    table.string('api_type', 16).notNullable();
    table.string('endpoint_type', 16).notNullable();
    table.string('owner_tag');
    table
      .string('authorization_types')
      .comment('Comma-separated authorization types of its routes');
    table
      .integer('allowed_vpc_count')
      .comment('VPCs and VPC endpoints its resource policy allows');
    table
      .double('monthly_cost_usd')
      .comment('Monthly cost estimate from traffic and prices');
    table
      .text('record')
      .notNullable()
      .comment('ApiRecord JSON without children');
    table
      .string('fingerprint')
      .comment('stage=deploymentId list of the last detail crawl');
    table.timestamp('details_crawled_at', { useTz: true });
    table.text('detail_error');
    table.string('last_seen_run').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['account_id', 'region'], 'private_api_apis_scope_idx');
  });

  const child = (name, comment, columns) =>
    knex.schema.createTable(name, table => {
      table.comment(comment);
      table
        .string('api_key')
        .notNullable()
        .references('api_key')
        .inTable('private_api_apis')
        .onDelete('CASCADE');
      table.string('item_id').notNullable();
      columns?.(table);
      table.text('data').notNullable();
      table.primary(['api_key', 'item_id']);
    });

  await child('private_api_stages', 'Stages of an API');
  await child('private_api_routes', 'REST methods and v2 routes', table => {
    table.string('authorization_type', 32).notNullable();
    table.string('integration_id');
  });
  await child('private_api_authorizers', 'Authorizers of an API', table => {
    table.string('type', 32).notNullable();
  });
  await child('private_api_integrations', 'Integrations of an API', table => {
    table.string('connection_type', 16).notNullable();
    table.string('connection_id');
  });

  await knex.schema.createTable('private_api_definitions', table => {
    table.comment('Exported OpenAPI definitions');
    table
      .string('api_key')
      .primary()
      .notNullable()
      .references('api_key')
      .inTable('private_api_apis')
      .onDelete('CASCADE');
    table.string('stage_name');
    table.text('content').notNullable();
  });

  await knex.schema.createTable('private_api_traffic', table => {
    table.comment(
      'Requests (or WebSocket messages) per API and day, from CloudWatch',
    );
    table
      .string('api_key')
      .notNullable()
      .references('api_key')
      .inTable('private_api_apis')
      .onDelete('CASCADE');
    table.string('day', 10).notNullable();
    table.bigInteger('count').notNullable();
    table.bigInteger('connect_count');
    table.primary(['api_key', 'day']);
  });

  const scoped = (name, comment, idColumn, columns) =>
    knex.schema.createTable(name, table => {
      table.comment(comment);
      table.string('account_id', 12).notNullable();
      table.string('region', 32).notNullable();
      table.string(idColumn).notNullable();
      columns?.(table);
      table.text('data').notNullable();
      table.primary(['account_id', 'region', idColumn]);
    });

  await scoped(
    'private_api_vpc_links',
    'VPC links (V1 and V2) with their load balancers',
    'vpc_link_id',
  );
  await scoped(
    'private_api_domains',
    'Custom domain names with mappings and access associations',
    'domain_name',
  );
  await scoped(
    'private_api_vpc_endpoints',
    'execute-api interface VPC endpoints',
    'vpc_endpoint_id',
    table => {
      table.string('vpc_id').notNullable();
      table.index(['vpc_endpoint_id'], 'private_api_vpce_id_idx');
      table.index(['vpc_id'], 'private_api_vpce_vpc_idx');
    },
  );
  await scoped(
    'private_api_vpcs',
    'VPCs that hold execute-api endpoints',
    'vpc_id',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'private_api_vpcs',
    'private_api_vpc_endpoints',
    'private_api_domains',
    'private_api_vpc_links',
    'private_api_traffic',
    'private_api_definitions',
    'private_api_integrations',
    'private_api_authorizers',
    'private_api_routes',
    'private_api_stages',
    'private_api_apis',
    'private_api_scopes',
  ]) {
    await knex.schema.dropTable(table);
  }
};
