/*
 * Answers the crawl computes once per API so that page views only read them: the API
 * record as the detail serves it, the cost answer of GET .../cost and the resource-policy analysis served with the API detail, the
 * latter memoized by a hash of its inputs (policy text, API ARN, endpoint type, stages,
 * associated endpoints), so an unchanged policy is not analysed again.
 */

/** @param {import('knex').Knex} knex */
const { dropColumns } = require('./lib/dropColumns');

exports.up = async function up(knex) {
  await knex.schema.alterTable('private_api_apis', table => {
    table
      .text('detail_json')
      .comment('ApiRecord JSON with children, as GET /apis/... serves it');
    table
      .text('cost_json')
      .comment(
        'GET .../cost answer (ApiCostResponse JSON) written by the crawl',
      );
    table
      .string('policy_analysis_hash', 64)
      .comment('SHA-256 of the inputs of policy_analysis_json');
    table
      .text('policy_analysis_json')
      .comment(
        'PolicyAnalysis JSON of the resource policy, written by the crawl',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await dropColumns(knex, 'private_api_apis', [
    'detail_json',
    'cost_json',
    'policy_analysis_hash',
    'policy_analysis_json',
  ]);
};
