import {
  ApiRecord,
  apiEntityName,
  EstateContext,
  PolicyAnalysis,
  PrivateApiSearchDocument,
} from '@private-api-catalog/plugin-private-api-common';
import { apiToEntity, TransformOptions } from '../module/transformer';
import { admittedCallers, IndexedCaller } from './admittedCallers';

/** `my-function` from `arn:aws:lambda:{region}:{account}:function:my-function[:alias]`. */
function lambdaFunctionName(arn: string): string {
  const match = /:function:([^:/]+)/.exec(arn);
  return match ? match[1] : arn;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host || undefined;
  } catch {
    // A V1 VPC link's URI may be a bare NLB DNS name rather than a URL.
    return /^[a-z0-9.-]+$/i.test(url) ? url : undefined;
  }
}

function unique(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort();
}

/** The Lambda functions an API calls: integrations and Lambda authorizers. */
export function lambdaFunctionNames(api: ApiRecord): string[] {
  return unique([
    ...api.integrations.map(i =>
      i.target.kind === 'lambda'
        ? lambdaFunctionName(i.target.functionArn)
        : undefined,
    ),
    ...api.authorizers.map(a =>
      a.lambdaArn ? lambdaFunctionName(a.lambdaArn) : undefined,
    ),
  ]);
}

/** Hosts behind the API: HTTP integration hosts and VPC link load balancers' DNS names. */
export function integrationHosts(api: ApiRecord): string[] {
  return unique([
    ...api.integrations.map(i => {
      if (i.target.kind === 'http') return hostOf(i.target.url);
      if (i.target.kind === 'vpc-link' && i.target.uri)
        return hostOf(i.target.uri);
      return undefined;
    }),
    ...api.vpcLinks.flatMap(l => l.loadBalancers.map(lb => lb.dnsName)),
  ]);
}

/** The search document of one API: what a user would type to find it. */
export function apiSearchDocument(
  api: ApiRecord,
  estate: EstateContext,
  transform: TransformOptions,
  /** The endpoints the stored reverse index says the policy lets in. */
  indexed: IndexedCaller[],
  /** The policy's analysis when already computed (`admittedCallersAnalysis`). */
  analysis?: PolicyAnalysis | null,
): PrivateApiSearchDocument {
  const { entity } = apiToEntity(api, undefined, transform);
  const name = apiEntityName(api);
  const accountName =
    api.accountName ??
    estate.accounts.find(a => a.accountId === api.accountId)?.name ??
    '';
  const admitted = admittedCallers(api, indexed, analysis);
  const routes = unique(api.routes.map(r => r.routeKey));
  const lambdas = lambdaFunctionNames(api);
  const hosts = integrationHosts(api);
  const domains = unique(api.domains.map(d => d.domainName));

  const account = accountName
    ? `${accountName} (${api.accountId})`
    : api.accountId;
  const sentences = [
    `${api.endpointType} ${api.apiType} API ${api.apiId} in account ${account}, ${api.region}.`,
    api.description && !/[.!?]$/.test(api.description)
      ? `${api.description}.`
      : api.description,
    admitted.vpcEndpointIds.length || admitted.vpcIds.length
      ? `Callable through ${[
          ...admitted.vpcEndpointIds,
          ...admitted.vpcIds,
        ].join(', ')}.`
      : undefined,
    lambdas.length ? `Lambda: ${lambdas.join(', ')}.` : undefined,
    domains.length ? `Custom domains: ${domains.join(', ')}.` : undefined,
  ];
  return {
    title: api.name,
    text: sentences.filter(Boolean).join(' '),
    // The entity's Private API tab: a location of its own, since search engines key
    // documents by location (Lunr keeps one per location across types, so the catalog
    // collator's document of the same entity would replace this one).
    location: `/catalog/default/api/${name}/private-api`,
    entityRef: `api:default/${name}`,
    apiId: api.apiId,
    apiType: api.apiType,
    endpointType: api.endpointType,
    accountId: api.accountId,
    accountName,
    region: api.region,
    owner: String(entity.spec.owner),
    routes: routes.join(', '),
    lambdaFunctions: lambdas.join(', '),
    integrationHosts: hosts.join(', '),
    customDomains: domains.join(', '),
    vpcEndpointIds: admitted.vpcEndpointIds.join(', '),
    vpcIds: admitted.vpcIds.join(', '),
  };
}
