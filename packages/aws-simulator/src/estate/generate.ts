import { ids, seededRandom } from '../ids';
import type {
  EstateInput,
  IntegrationInput,
  RestApiDocument,
  V2ApiDocument,
} from './schema';

/**
 * Scale estates for benchmarks: `accounts × (restApisPerAccount + httpApisPerAccount)`
 * APIs in each of `regions` Regions, with the same mix of cases as the demo (private with
 * and without association, Lambda and VPC link integrations, authorizers, cache, tags).
 * The same options always give the same estate.
 */
export interface GenerateOptions {
  accounts: number;
  /** REST APIs per account and Region. */
  restApisPerAccount: number;
  /** HTTP and WebSocket APIs per account and Region (one in ten is WebSocket). */
  httpApisPerAccount: number;
  /** 1..5: us-east-1, eu-west-1, us-west-2, eu-central-1, ap-southeast-2. */
  regions: number;
  seed: number;
}

const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'us-west-2',
  'eu-central-1',
  'ap-southeast-2',
];
const DOMAINS = [
  'payments',
  'orders',
  'billing',
  'identity',
  'catalog',
  'shipping',
  'inventory',
  'ledger',
  'pricing',
  'search',
  'notifications',
  'customers',
  'risk',
  'reporting',
  'claims',
];
const SUFFIXES = ['api', 'internal', 'service', 'gateway', 'backend', 'core'];
const TEAMS = [
  'team-payments',
  'team-identity',
  'team-platform',
  'team-orders',
  'team-data',
  'team-risk',
];
const RESOURCES = [
  'items',
  'accounts',
  'events',
  'reports',
  'settings',
  'jobs',
  'records',
  'sessions',
];

/** Parses `accounts=10,rest=200,http=50,regions=1,seed=1` (every key optional). */
export function parseGenerateSpec(spec: string): GenerateOptions {
  const options: GenerateOptions = {
    accounts: 3,
    restApisPerAccount: 20,
    httpApisPerAccount: 5,
    regions: 1,
    seed: 1,
  };
  const keys: Record<string, keyof GenerateOptions> = {
    accounts: 'accounts',
    rest: 'restApisPerAccount',
    http: 'httpApisPerAccount',
    regions: 'regions',
    seed: 'seed',
  };
  for (const part of spec.split(',').filter(Boolean)) {
    const [key, value] = part.split('=');
    const field = keys[key?.trim()];
    const number = Number(value);
    if (!field || !Number.isInteger(number) || number < 0) {
      throw new Error(
        `Invalid --generate part '${part}': expected accounts|rest|http|regions|seed=<integer>, e.g. accounts=10,rest=200,http=50,regions=1,seed=1`,
      );
    }
    options[field] = number;
  }
  if (
    options.accounts < 1 ||
    options.regions < 1 ||
    options.regions > REGIONS.length
  ) {
    throw new Error(
      `--generate needs accounts >= 1 and regions from 1 to ${REGIONS.length}`,
    );
  }
  return options;
}

export function generateEstate(options: GenerateOptions): EstateInput {
  const random = seededRandom(options.seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  /** One of the options, drawn with the given probabilities (which add up to 1). */
  const pickWeighted = <T>(choices: Array<[T, number]>): T => {
    let draw = random();
    for (const [choice, weight] of choices) {
      if (draw < weight) return choice;
      draw -= weight;
    }
    return choices[choices.length - 1][0];
  };
  const regions = REGIONS.slice(0, options.regions);
  const accountIds = Array.from({ length: options.accounts }, (_, i) =>
    String(
      100000000000 +
        Math.floor(ids.unit(`gen:${options.seed}:account:${i}`) * 899999999999),
    ).slice(0, 12),
  );

  const accounts = accountIds.map((accountId, a) => ({
    id: accountId,
    name: `${pick(DOMAINS)}-${chance(0.8) ? 'prod' : 'staging'}-${a}`,
    regions: Object.fromEntries(
      regions.map(region => {
        const seed = `gen:${options.seed}:${accountId}:${region}`;
        const vpcs = [0, 1].map(n => ({
          id: ids.resource('vpc', `${seed}:vpc${n}`),
          cidr: `10.${a % 250}.${n * 16}.0/20`,
          name: `${n === 0 ? 'workloads' : 'shared'}-${region}`,
        }));
        const endpoints = [0, 1].map(n => ({
          id: ids.resource('vpce', `${seed}:vpce${n}`),
          vpc: vpcs[n].id,
          privateDns: n === 0,
          name: `execute-api-${n === 0 ? 'workloads' : 'shared'}`,
        }));
        const restApis = Array.from(
          { length: options.restApisPerAccount },
          (_, i) =>
            generateRestApi(
              i,
              endpoints.map(e => e.id),
            ),
        );
        const httpApis = Array.from(
          { length: options.httpApisPerAccount },
          (_, i) => generateV2Api(i),
        );
        return [
          region,
          {
            vpcs,
            vpcEndpoints: endpoints,
            loadBalancers: [
              {
                name: 'internal-nlb',
                type: 'network' as const,
                vpc: vpcs[0].id,
              },
              {
                name: 'internal-alb',
                type: 'application' as const,
                vpc: vpcs[0].id,
              },
            ],
            vpcLinks: [
              {
                name: 'nlb-link',
                version: 'V1' as const,
                targets: ['internal-nlb'],
              },
              { name: 'private-link', version: 'V2' as const },
            ],
            restApis,
            httpApis,
          },
        ];
      }),
    ),
  }));
  return { accounts, organization: { emptyPages: true } };

  function generateRestApi(
    index: number,
    endpointIds: string[],
  ): RestApiDocument {
    const endpointType = pickWeighted<'PRIVATE' | 'REGIONAL' | 'EDGE'>([
      ['PRIVATE', 0.7],
      ['REGIONAL', 0.2],
      ['EDGE', 0.1],
    ]);
    const useAuthorizer = chance(0.3);
    const resourceCount = 2 + Math.floor(random() * 6);
    const base = pick(RESOURCES);
    const methods = Array.from({ length: resourceCount }, (_, r) => {
      // Collections /items, /items2, ... alternating with their members /items/{id}, ...
      const collection = `/${base}${r - (r % 2) || ''}`;
      const path = r % 2 === 0 ? collection : `${collection}/{id}`;
      return {
        route: `${pick(['GET', 'POST', 'PUT', 'DELETE'])} ${path}`,
        integration: pickWeighted<IntegrationInput>([
          [{ lambda: `${base}-handler-${index}` }, 0.7],
          [{ vpcLink: { id: 'nlb-link' } }, 0.15],
          [
            { http: `https://backend-${index}.internal.example.com${path}` },
            0.15,
          ],
        ]),
      };
    }).filter(
      (method, i, all) => all.findIndex(m => m.route === method.route) === i,
    );
    const tagged = chance(0.95);
    return {
      name: `${pick(DOMAINS)}-${pick(SUFFIXES)}-${index}`,
      endpointType: endpointType as 'PRIVATE' | 'REGIONAL' | 'EDGE',
      vpcEndpointIds:
        endpointType === 'PRIVATE' && chance(0.3)
          ? [endpointIds[0]]
          : undefined,
      policy:
        endpointType === 'PRIVATE'
          ? {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: '*',
                  Action: 'execute-api:Invoke',
                  Resource: 'execute-api:/*',
                },
                {
                  Effect: 'Deny',
                  Principal: '*',
                  Action: 'execute-api:Invoke',
                  Resource: 'execute-api:/*',
                  Condition: {
                    StringNotEquals: {
                      'aws:SourceVpce': endpointIds.slice(
                        0,
                        1 + Math.floor(random() * 2),
                      ),
                    },
                  },
                },
              ],
            }
          : undefined,
      tags: tagged
        ? {
            owner: pick(TEAMS),
            system: pick(DOMAINS),
            lifecycle: chance(0.85) ? 'production' : 'experimental',
          }
        : undefined,
      authorizers: useAuthorizer
        ? [
            {
              name: 'token-authorizer',
              type: 'TOKEN' as const,
              lambda: `authorizer-${index}`,
            },
          ]
        : undefined,
      methodDefaults: useAuthorizer
        ? { authorizer: 'token-authorizer' }
        : {
            authorization: chance(0.5)
              ? ('AWS_IAM' as const)
              : ('NONE' as const),
          },
      methods,
      stages: [
        {
          name: 'prod',
          cacheClusterSize: chance(0.1) ? ('0.5' as const) : undefined,
          traffic: Math.floor(random() * 50000),
        },
        ...(chance(0.3)
          ? [{ name: 'staging', traffic: Math.floor(random() * 500) }]
          : []),
      ],
    };
  }

  function generateV2Api(index: number): V2ApiDocument {
    if (index % 10 === 9) {
      return {
        name: `${pick(DOMAINS)}-events-${index}`,
        protocol: 'WEBSOCKET' as const,
        authorizers: [
          {
            name: 'connect-authorizer',
            type: 'REQUEST' as const,
            lambda: `ws-authorizer-${index}`,
            identitySource: 'route.request.querystring.token',
          },
        ],
        routeDefaults: { integration: { lambda: `ws-handler-${index}` } },
        routes: [
          { key: '$connect', authorizer: 'connect-authorizer' },
          '$disconnect',
          '$default',
        ],
        tags: { owner: pick(TEAMS), system: pick(DOMAINS) },
      };
    }
    const jwt = chance(0.4);
    const viaLink = chance(0.3);
    const base = pick(RESOURCES);
    return {
      name: `${pick(DOMAINS)}-http-${index}`,
      authorizers: jwt
        ? [
            {
              name: 'jwt',
              type: 'JWT' as const,
              issuer:
                'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example',
              audience: ['catalog'],
            },
          ]
        : undefined,
      routeDefaults: {
        authorizer: jwt ? 'jwt' : undefined,
        integration: viaLink
          ? { vpcLink: { id: 'private-link', loadBalancer: 'internal-alb' } }
          : { lambda: `${base}-http-handler-${index}` },
      },
      routes: [`GET /${base}`, `POST /${base}`, `GET /${base}/{id}`].slice(
        0,
        1 + Math.floor(random() * 3),
      ),
      tags: chance(0.95)
        ? { owner: pick(TEAMS), system: pick(DOMAINS), lifecycle: 'production' }
        : undefined,
      stages: [
        {
          name: '$default',
          autoDeploy: true,
          traffic: Math.floor(random() * 20000),
        },
      ],
    };
  }
}
