/**
 * Every way to call an API from where the caller is: private DNS, the
 * VPC endpoint's own DNS name with a Host or x-apigw-api-id header, the Route 53 alias,
 * private custom domains; for public APIs their endpoint and custom domains. Each option
 * says whether it works for this caller and why, with URLs, headers, a ready command and
 * the caveats that go with it.
 */
import {
  assumptionCaveat,
  VERIFY_ASSUMPTIONS,
  VerifyAssumption,
} from '../assumptions';
import { AWS_DOCS, Caveat } from '../docs';
import {
  ApiRecord,
  DomainRecord,
  RouteRecord,
  VpcEndpointRecord,
} from '../inventory/types';
import { analyzeResourcePolicy } from '../policy/analyze';
import { endpointAccess } from './access';
import { domainAdmission } from './callers';
import { routeAuth } from './auth';
import { buildCommand, routeMethod } from './command';
import {
  domainUrl,
  executeApiHost,
  executeApiServiceName,
  hostOf,
  isExecuteApiService,
  route53AliasHost,
  stageUrl,
  vpcEndpointHostPlaceholder,
} from './urls';

/** The ways to call an API. */
export type InvokeOptionKind =
  | 'private-dns'
  | 'route53-alias'
  | 'vpce-dns-host-header'
  | 'vpce-dns-api-id-header'
  | 'private-custom-domain'
  | 'public-endpoint'
  | 'custom-domain';

/** `conditional`: works if something this package cannot see holds (named in the reasons). */
export type InvokeAvailability = 'available' | 'conditional' | 'unavailable';

/** Where the call starts. */
export interface InvokeCaller {
  /** In a VPC, on premises (connected to a VPC by Direct Connect or VPN), or on the internet. */
  location: 'vpc' | 'on-premises' | 'internet';
  /** The execute-api interface endpoint the caller would use (in its VPC, or the VPC on-premises reaches). */
  vpcEndpoint?: VpcEndpointRecord;
  /** On premises: DNS forwards execute-api names to a Route 53 Resolver inbound endpoint in that VPC. */
  resolvesPrivateDns?: boolean;
}

/** A base URL: of a stage, or of a custom domain's mapping. */
export interface InvokeUrl {
  /** The stage the URL reaches, when known. */
  stage?: string;
  url: string;
  /** Route 53 aliases: the endpoint the alias belongs to. */
  vpcEndpointId?: string;
}

/** One way to call the API, for one caller. */
export interface InvokeOption {
  kind: InvokeOptionKind;
  title: string;
  availability: InvokeAvailability;
  /** Why the option is (not) available for this caller. */
  reasons: string[];
  /** What would make it available. */
  fixes: string[];
  urls: InvokeUrl[];
  /** Headers this way of calling needs (the route's credentials come on top: see `command`). */
  headers: Record<string, string>;
  /** The route key `command` calls. */
  route?: string;
  /** A ready command for `route` at the first URL (undefined when there is no URL). */
  command?: string;
  /** What to know before using this way, each with the AWS page it comes from. */
  caveats: Caveat[];
  /** The AWS page that documents this way of calling. */
  docUrl: string;
}

function option(
  kind: InvokeOptionKind,
  title: string,
  urls: InvokeUrl[],
  docUrl: string,
  headers: Record<string, string> = {},
): InvokeOption {
  return {
    kind,
    title,
    docUrl,
    availability: 'available',
    reasons: [],
    fixes: [],
    urls,
    headers,
    caveats: [],
  };
}

function block(o: InvokeOption, reason: string, fix?: string) {
  o.availability = 'unavailable';
  o.reasons.push(reason);
  if (fix && !o.fixes.includes(fix)) o.fixes.push(fix);
}

function condition(o: InvokeOption, reason: string, fix?: string) {
  if (o.availability === 'available') o.availability = 'conditional';
  o.reasons.push(reason);
  if (fix && !o.fixes.includes(fix)) o.fixes.push(fix);
}

function assume(o: InvokeOption, assumption: VerifyAssumption) {
  o.caveats.push(assumptionCaveat(assumption));
}

/** The route a command shows: `$connect` for WebSocket APIs, else the first GET route. */
function sampleRoute(api: ApiRecord): RouteRecord | undefined {
  if (api.apiType === 'WEBSOCKET') {
    return api.routes.find(r => r.routeKey === '$connect') ?? api.routes[0];
  }
  const sorted = [...api.routes].sort((a, b) =>
    a.routeKey.localeCompare(b.routeKey),
  );
  return sorted.find(r => routeMethod(r) === 'GET') ?? sorted[0];
}

function stageUrls(
  api: ApiRecord,
  host: string,
  vpcEndpointId?: string,
): InvokeUrl[] {
  return api.stages.map(s => ({
    stage: s.stageName,
    url: stageUrl(host, s.stageName, api.apiType),
    ...(vpcEndpointId ? { vpcEndpointId } : {}),
  }));
}

function domainUrls(api: ApiRecord, domain: DomainRecord): InvokeUrl[] {
  return domain.mappings
    .filter(m => m.apiId === api.apiId)
    .map(m => ({
      ...(m.stage ? { stage: m.stage } : {}),
      url: domainUrl(domain.domainName, m.basePath, api.apiType),
    }));
}

const NO_POLICY_REASON =
  'The API has no resource policy, and a private API without one rejects every call (API Gateway does not even deploy it).';

/** Checks that hold for every private option: where the caller is, its endpoint, the policy. */
function checkPrivatePath(
  api: ApiRecord,
  caller: InvokeCaller | undefined,
  options: InvokeOption[],
) {
  const service = executeApiServiceName(api.region);
  const create = `Create an interface VPC endpoint for ${service} in the caller's VPC (with private DNS enabled for the simplest URL).`;
  const all = (apply: (o: InvokeOption) => void) => options.forEach(apply);
  if (!api.policy?.trim()) {
    // Whoever the caller, nothing passes: say so rather than "conditional".
    const fix = caller?.vpcEndpoint
      ? endpointAccess(api, caller.vpcEndpoint).fix
      : "Ask the API's owner for a resource policy that allows your VPC or VPC endpoint (Request access).";
    all(o => block(o, NO_POLICY_REASON, fix));
    return;
  }
  if (!caller) {
    all(o =>
      condition(
        o,
        `Needs an execute-api VPC endpoint in ${api.region} that the resource policy allows.`,
      ),
    );
    return;
  }
  if (caller.location === 'internet') {
    all(o =>
      block(
        o,
        'A private API answers only through an interface VPC endpoint for execute-api, not on the internet.',
        'Call it from a VPC with such an endpoint, or from on premises over Direct Connect or VPN to one.',
      ),
    );
    return;
  }
  const endpoint = caller.vpcEndpoint;
  if (!endpoint) {
    all(o => block(o, 'The caller has no execute-api VPC endpoint.', create));
    return;
  }
  const id = endpoint.vpcEndpointId;
  if (!isExecuteApiService(endpoint.serviceName)) {
    all(o =>
      block(
        o,
        `${id} is an endpoint for ${endpoint.serviceName}, not for execute-api.`,
        create,
      ),
    );
    return;
  }
  if (endpoint.region !== api.region) {
    all(o =>
      block(
        o,
        `${id} is in ${endpoint.region} and the API in ${api.region}: an endpoint reaches private APIs of its own Region only.`,
        `Create an interface VPC endpoint for ${service} in a VPC in ${api.region}.`,
      ),
    );
    return;
  }
  if (endpoint.state !== 'available') {
    all(o => block(o, `${id} is ${endpoint.state}, not available.`));
  }
  if (caller.location === 'on-premises') {
    all(o =>
      condition(
        o,
        `From on premises, the endpoint's private addresses are reachable only over Direct Connect or VPN to ${endpoint.vpcId} (not checked).`,
      ),
    );
  }
  // The API's policy decides for every option; a custom domain's own policy as well (below).
  const access = endpointAccess(api, endpoint);
  all(o => {
    if (access.verdict === 'allowed') o.reasons.push(access.message);
    else if (access.verdict === 'denied') block(o, access.message, access.fix);
    else condition(o, access.message);
  });
}

function checkPrivateDns(
  o: InvokeOption,
  api: ApiRecord,
  caller: InvokeCaller | undefined,
) {
  o.caveats.push({
    text: 'With private DNS on, the VPC reaches public APIs by their execute-api names through the endpoint, where those calls fail: call public APIs by custom domain names.',
    docUrl: AWS_DOCS.privateApis,
  });
  const endpoint = caller?.vpcEndpoint;
  if (!endpoint) {
    if (!caller) condition(o, 'Needs private DNS enabled on that endpoint.');
    return;
  }
  const enable = `Enable private DNS on ${endpoint.vpcEndpointId} (it then answers for every execute-api name in ${api.region} in that VPC).`;
  if (!endpoint.privateDnsEnabled) {
    block(
      o,
      `${endpoint.vpcEndpointId} has private DNS disabled, so ${hostOf(
        o.urls[0]?.url ?? '',
      )} does not resolve to it.`,
      enable,
    );
    return;
  }
  o.reasons.push(
    `${endpoint.vpcEndpointId} has private DNS enabled: the API's own name resolves to it in ${endpoint.vpcId}.`,
  );
  if (caller?.location === 'on-premises' && !caller.resolvesPrivateDns) {
    condition(
      o,
      'From on premises, the name resolves to the endpoint only if your DNS forwards it to a Route 53 Resolver inbound endpoint in that VPC.',
      `Forward execute-api.${api.region}.amazonaws.com from your DNS servers to a Route 53 Resolver inbound endpoint in ${endpoint.vpcId}, or use the Route 53 alias.`,
    );
  }
}

function checkEndpointDns(o: InvokeOption, caller: InvokeCaller | undefined) {
  o.caveats.push(
    {
      text: 'Call the endpoint by its DNS name: the TLS certificate does not cover its IP addresses.',
      docUrl: AWS_DOCS.invokePrivateApi,
    },
    o.kind === 'vpce-dns-host-header'
      ? {
          text: 'Browsers cannot set the Host header: not for web apps.',
          docUrl: AWS_DOCS.invokePrivateApi,
        }
      : {
          text: 'Browsers send a CORS preflight for the x-apigw-api-id header, which breaks it: not for web apps.',
          docUrl: AWS_DOCS.invokePrivateApi,
        },
  );
  const endpoint = caller?.vpcEndpoint;
  if (endpoint && endpoint.dnsNames.length === 0) {
    condition(
      o,
      `The inventory knows no DNS name of ${endpoint.vpcEndpointId}: use the regional name DescribeVpcEndpoints lists.`,
    );
  } else if (endpoint) {
    o.reasons.push(
      `${endpoint.dnsNames[0]} is the regional DNS name of ${endpoint.vpcEndpointId}; it needs no private DNS.`,
    );
  }
}

function checkAlias(
  o: InvokeOption,
  api: ApiRecord,
  caller: InvokeCaller | undefined,
) {
  o.caveats.push({
    text: 'After an endpoint is associated, its alias takes minutes to resolve (DNS propagation); each endpoint needs its own association.',
    docUrl: AWS_DOCS.invokePrivateApi,
  });
  const endpoint = caller?.vpcEndpoint;
  if (!endpoint) {
    if (!caller) {
      if (api.vpcEndpointIds.length === 0) {
        condition(
          o,
          'No endpoint is associated with the API yet: an alias exists only for an associated endpoint.',
        );
      } else {
        o.reasons.push(
          `Endpoints associated with the API: ${api.vpcEndpointIds.join(
            ', ',
          )}.`,
        );
      }
    }
    return;
  }
  if (api.vpcEndpointIds.includes(endpoint.vpcEndpointId)) {
    o.reasons.push(
      `${endpoint.vpcEndpointId} is associated with the API, so its alias resolves (also from on premises, by public DNS).`,
    );
  } else {
    block(
      o,
      `${endpoint.vpcEndpointId} is not associated with the API, so ${hostOf(
        o.urls[0]?.url ?? '',
      )} does not resolve.`,
      `Associate ${endpoint.vpcEndpointId} with the API (UpdateRestApi: add /endpointConfiguration/vpcEndpointIds); DNS then takes minutes to propagate.`,
    );
  }
}

function checkPrivateDomain(
  o: InvokeOption,
  domain: DomainRecord,
  caller: InvokeCaller | undefined,
  partition: string,
) {
  o.caveats.push({
    text: `${domain.domainName} must resolve to the endpoint in the caller's network (for example an alias record in a private hosted zone).`,
    docUrl: AWS_DOCS.privateCustomDomains,
  });
  const endpoint = caller?.vpcEndpoint;
  if (!endpoint) {
    if (!caller) {
      condition(
        o,
        "Needs a domain name access association for that endpoint and an allow in the domain's policy.",
      );
    }
    return;
  }
  const id = endpoint.vpcEndpointId;
  const admission = domainAdmission(domain, endpoint, partition);
  if (!domain.accessAssociations.some(a => a.vpcEndpointId === id)) {
    block(
      o,
      admission.reason,
      `Create a domain name access association of ${id} with ${
        domain.domainNameArn ?? domain.domainName
      } (in the account that owns ${id}).`,
    );
    return;
  }
  o.reasons.push(
    `${id} has a domain name access association with ${domain.domainName}.`,
  );
  if (admission.verdict === 'allowed') {
    o.reasons.push(`The domain's policy lets ${id} in: ${admission.reason}.`);
  } else if (admission.verdict === 'unknown') {
    condition(o, `${admission.reason} It must allow ${id}.`);
  } else {
    block(
      o,
      `The domain's policy does not let ${id} in: ${admission.reason}.`,
      `Ask the domain's owner to allow ${id} in its policy.`,
    );
  }
}

function privateOptions(
  api: ApiRecord,
  caller: InvokeCaller | undefined,
): InvokeOption[] {
  const host = executeApiHost(api.apiId, api.region, api.partition);
  const endpoint = caller?.vpcEndpoint;
  const endpointHost =
    endpoint?.dnsNames[0] ?? vpcEndpointHostPlaceholder(api.region);
  const aliasEndpoints = endpoint
    ? [endpoint.vpcEndpointId]
    : api.vpcEndpointIds;
  const options = [
    option(
      'private-dns',
      'Private DNS name',
      stageUrls(api, host),
      AWS_DOCS.invokePrivateApi,
    ),
    option(
      'route53-alias',
      'Route 53 alias of an associated endpoint',
      aliasEndpoints.flatMap(id =>
        stageUrls(
          api,
          route53AliasHost(api.apiId, id, api.region, api.partition),
          id,
        ),
      ),
      AWS_DOCS.invokePrivateApi,
    ),
    option(
      'vpce-dns-host-header',
      'VPC endpoint DNS name with a Host header',
      stageUrls(api, endpointHost),
      AWS_DOCS.invokePrivateApi,
      {
        Host: host,
      },
    ),
    option(
      'vpce-dns-api-id-header',
      'VPC endpoint DNS name with an x-apigw-api-id header',
      stageUrls(api, endpointHost),
      AWS_DOCS.invokePrivateApi,
      { 'x-apigw-api-id': api.apiId },
    ),
  ];
  const domains = api.domains.filter(
    d => d.endpointType === 'PRIVATE' && domainUrls(api, d).length,
  );
  const domainOptions = domains.map(d =>
    option(
      'private-custom-domain',
      `Private custom domain ${d.domainName}`,
      domainUrls(api, d),
      AWS_DOCS.privateCustomDomains,
    ),
  );
  checkPrivatePath(api, caller, [...options, ...domainOptions]);
  const [privateDns, alias, hostHeader, apiIdHeader] = options;
  checkPrivateDns(privateDns, api, caller);
  checkAlias(alias, api, caller);
  checkEndpointDns(hostHeader, caller);
  checkEndpointDns(apiIdHeader, caller);
  domains.forEach((d, i) =>
    checkPrivateDomain(domainOptions[i], d, caller, api.partition),
  );
  if (api.disableExecuteApiEndpoint) {
    for (const o of options) {
      block(
        o,
        "The API's default execute-api endpoint is disabled (disableExecuteApiEndpoint): only its custom domain names answer.",
        'Call it through a private custom domain name.',
      );
      if (o.kind !== 'private-dns')
        assume(
          o,
          VERIFY_ASSUMPTIONS.disabledDefaultEndpointBlocksEndpointNames,
        );
    }
  }
  for (const o of [...options, ...domainOptions]) {
    o.caveats.push({
      text: "The endpoint's security group must allow TCP 443 from the caller.",
      docUrl: AWS_DOCS.interfaceEndpoint,
    });
  }
  return [...options, ...domainOptions];
}

function checkInternetPath(o: InvokeOption, caller: InvokeCaller | undefined) {
  if (!caller || caller.location !== 'vpc') {
    o.reasons.push('A public API answers on the internet.');
  } else {
    condition(
      o,
      'From a VPC, the call needs a route to the internet (NAT gateway or internet gateway): not checked.',
    );
  }
}

function publicOptions(
  api: ApiRecord,
  caller: InvokeCaller | undefined,
): InvokeOption[] {
  const host = api.apiEndpoint
    ? hostOf(api.apiEndpoint)
    : executeApiHost(api.apiId, api.region, api.partition);
  const endpoint = option(
    'public-endpoint',
    'Public endpoint',
    stageUrls(api, host),
    AWS_DOCS.invokeApi,
  );
  checkInternetPath(endpoint, caller);
  if (api.disableExecuteApiEndpoint) {
    block(
      endpoint,
      'The default execute-api endpoint is disabled (disableExecuteApiEndpoint).',
      'Call the API through one of its custom domain names.',
    );
  }
  const vpce = caller?.vpcEndpoint;
  if (
    caller?.location === 'vpc' &&
    vpce?.privateDnsEnabled &&
    isExecuteApiService(vpce.serviceName) &&
    vpce.region === api.region
  ) {
    block(
      endpoint,
      `${vpce.vpcEndpointId} in this VPC has private DNS enabled: ${host} resolves to the endpoint, which answers for private APIs only.`,
      'Call the API by a custom domain name, or from a VPC whose execute-api endpoint has private DNS disabled.',
    );
    if (api.apiType !== 'REST')
      assume(endpoint, VERIFY_ASSUMPTIONS.privateDnsBlocksAllPublicApis);
  }
  const domains = api.domains
    .filter(d => d.endpointType !== 'PRIVATE' && domainUrls(api, d).length)
    .map(d => {
      const o = option(
        'custom-domain',
        `Custom domain ${d.domainName}`,
        domainUrls(api, d),
        AWS_DOCS.customDomains,
      );
      checkInternetPath(o, caller);
      return o;
    });
  if (api.apiType === 'REST' && api.policy?.trim()) {
    const analysis = analyzeResourcePolicy(api.policy, {
      apiArn: api.executeApiArn,
      endpointType: api.endpointType,
    });
    for (const o of [endpoint, ...domains]) {
      if (analysis.audience === 'nobody') {
        block(
          o,
          'The resource policy lets no call in.',
          "Ask the API's owner to change its resource policy.",
        );
      } else if (analysis.audience !== 'anyone') {
        condition(
          o,
          `The resource policy admits only some callers${
            analysis.sourceIps && !analysis.sourceIps.any
              ? ` (source addresses ${analysis.sourceIps.allowed.join(', ')})`
              : ''
          }${analysis.anonymous ? '' : ', and only signed ones'}.`,
        );
      }
    }
  }
  return [endpoint, ...domains];
}

function addAuthCaveats(o: InvokeOption, api: ApiRecord) {
  const route = sampleRoute(api);
  if (!route) return;
  const auth = routeAuth(api, route);
  const headers = Object.keys(auth.headers);
  const names = `the ${headers.join(' and ')} header${
    headers.length > 1 ? 's' : ''
  }`;
  if (headers.length && api.apiType === 'WEBSOCKET') {
    o.caveats.push({
      text: `Browsers cannot set headers on a WebSocket connection: ${names} can come only from a client outside the browser (wscat, an SDK), or the authorizer must read a query parameter instead.`,
      docUrl: AWS_DOCS.wscat,
    });
  } else if (headers.length) {
    o.caveats.push({
      text: `From a browser, ${names} make${
        headers.length > 1 ? '' : 's'
      } the request non-simple: the API must answer the CORS preflight (OPTIONS) and allow ${
        headers.length > 1 ? 'them' : 'it'
      }.`,
      docUrl: api.apiType === 'HTTP' ? AWS_DOCS.httpCors : AWS_DOCS.restCors,
    });
  }
  if (api.routes.some(r => r.authorizationType === 'AWS_IAM')) {
    o.caveats.push({
      text: 'IAM routes: a caller from another account also needs its own IAM policy to allow execute-api:Invoke.',
      docUrl: AWS_DOCS.authorizationFlow,
    });
    if (api.apiType === 'WEBSOCKET') {
      o.caveats.push({
        text: 'wscat cannot sign: open the connection with a SigV4-signed request from an AWS SDK.',
        docUrl: AWS_DOCS.iamAuthorization,
      });
    }
  }
  for (const caveat of auth.caveats) {
    if (!o.caveats.some(c => c.text === caveat.text)) o.caveats.push(caveat);
  }
}

const ORDER: Record<InvokeAvailability, number> = {
  available: 0,
  conditional: 1,
  unavailable: 2,
};

/**
 * Every way to invoke the API from the caller's position, best first: what works, why, the
 * URLs per stage, the headers, a ready command (curl, with SigV4, bearer token, authorizer
 * header or API key as the route needs; wscat for WebSocket APIs) and the caveats.
 * Without a caller, the options say what each needs.
 */
export function invokeOptions(
  api: ApiRecord,
  caller?: InvokeCaller,
): InvokeOption[] {
  const options =
    api.endpointType === 'PRIVATE' && api.apiType === 'REST'
      ? privateOptions(api, caller)
      : publicOptions(api, caller);
  const route = sampleRoute(api);
  for (const o of options) {
    addAuthCaveats(o, api);
    o.route = route?.routeKey;
    o.command = invokeCommand(api, o);
  }
  // A private custom domain that works comes first: its URL survives API replacements.
  const rank = (o: InvokeOption) =>
    ORDER[o.availability] * 2 +
    (o.kind === 'private-custom-domain' && o.availability === 'available'
      ? 0
      : 1);
  return options.sort((a, b) => rank(a) - rank(b));
}

/**
 * A ready command for one route and stage through one option (the first URL and the
 * option's sample route by default). Undefined when the option has no URL for the stage.
 */
export function invokeCommand(
  api: ApiRecord,
  invokeOption: InvokeOption,
  select: { stage?: string; routeKey?: string } = {},
): string | undefined {
  const url = select.stage
    ? invokeOption.urls.find(u => u.stage === select.stage)
    : invokeOption.urls[0];
  if (!url) return undefined;
  const route = select.routeKey
    ? api.routes.find(r => r.routeKey === select.routeKey)
    : sampleRoute(api);
  const auth = route
    ? routeAuth(api, route)
    : {
        authorizationType: 'NONE' as const,
        description: '',
        sigv4: false,
        headers: {},
        query: {},
        caveats: [],
      };
  return buildCommand({
    apiType: api.apiType,
    region: api.region,
    baseUrl: url.url,
    route,
    headers: invokeOption.headers,
    auth,
    ...(api.routeSelectionExpression
      ? { routeSelectionExpression: api.routeSelectionExpression }
      : {}),
  });
}
