/**
 * The explorer's search: one document of words per API (names, ids, routes, Lambda
 * functions, integration hosts, load balancers, VPC and endpoint ids, domains), indexed by
 * SQLite FTS5 or PostgreSQL full-text search. Documents and queries are cut into words the
 * same way on both databases, so `vpc-a6174cba` or `/payments/{id}` find the same rows.
 */
import type {
  ApiRecord,
  IntegrationRecord,
} from '@private-api-catalog/plugin-private-api-common';

/** Lower-case words of letters and digits: what both databases index and match. */
export function searchWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function lambdaName(functionArn: string): string {
  // arn:aws:lambda:{region}:{account}:function:{name}[:{alias}]
  return functionArn.split(':function:')[1]?.split(':')[0] ?? functionArn;
}

function hostOf(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '').replace(/[/:].*$/, '');
}

function integrationTerms(integration: IntegrationRecord): string[] {
  const t = integration.target;
  switch (t.kind) {
    case 'lambda':
      return [lambdaName(t.functionArn)];
    case 'http':
      return [hostOf(t.url)];
    case 'aws-service':
      return [t.service];
    case 'vpc-link':
      return [t.vpcLinkId, t.uri ? hostOf(t.uri) : '', t.targetArn ?? ''];
    default:
      return [];
  }
}

/**
 * The words an API is found by. `callers` are the VPC endpoints (and their VPCs) its policy
 * lets in, so a search for a VPC id finds the APIs that VPC can call.
 */
export function searchDocument(
  api: ApiRecord,
  callers: Array<{ vpcEndpointId: string; vpcId: string }> = [],
): string {
  const terms = [
    api.name,
    api.apiId,
    api.description ?? '',
    api.accountId,
    api.accountName ?? '',
    api.region,
    ...Object.values(api.tags),
    ...api.routes.map(r => r.routeKey),
    ...api.integrations.flatMap(integrationTerms),
    ...api.vpcLinks.flatMap(l => [
      l.id,
      l.name,
      ...l.loadBalancers.flatMap(lb => [lb.name, lb.dnsName ?? '']),
    ]),
    ...api.vpcEndpointIds,
    ...callers.flatMap(c => [c.vpcEndpointId, c.vpcId]),
    ...api.domains.map(d => d.domainName),
  ];
  return [...new Set(terms.flatMap(searchWords))].join(' ');
}

/**
 * Numbers this short are matched whole: in `orders-7` the 7 is a name's own number, and as a
 * prefix it would also match every id and hash that starts with that digit (nearly every API
 * of an estate). Longer numbers (part of an account id, say) are prefixes like any word.
 */
const WHOLE_NUMBER_MAX_DIGITS = 3;

/** A word of a query, and whether it matches as a word prefix or only whole. */
export interface QueryWord {
  word: string;
  prefix: boolean;
}

/**
 * The words of a query, each matched as a word prefix (short numbers whole); every word must
 * match. Empty when the query has no letters or digits.
 */
export function queryWords(q: string): QueryWord[] {
  return [...new Set(searchWords(q))].slice(0, 16).map(word => ({
    word,
    prefix: !(/^[0-9]+$/.test(word) && word.length <= WHOLE_NUMBER_MAX_DIGITS),
  }));
}

/** An FTS5 MATCH expression: every word quoted, as a prefix where it is one. */
export function fts5Query(words: QueryWord[]): string {
  return words
    .map(({ word, prefix }) => `"${word}"${prefix ? '*' : ''}`)
    .join(' AND ');
}

/** A PostgreSQL tsquery: every word, as a prefix where it is one. */
export function tsQuery(words: QueryWord[]): string {
  return words
    .map(({ word, prefix }) => (prefix ? `${word}:*` : word))
    .join(' & ');
}
