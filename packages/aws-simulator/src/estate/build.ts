import { ids } from '../ids';
import {
  BuildContext,
  defaultDate,
  emptyRegion,
  EstateValidationError,
  hostedZone,
  IssuePath,
} from './buildContext';
import { buildNetwork } from './buildNetwork';
import { buildRestApi } from './buildRestApi';
import { buildV2Api } from './buildV2Api';
import type {
  AccountState,
  DomainState,
  Estate,
  RegionState,
  VpcEndpointState,
} from './model';
import { normalizePolicy } from './policy';
import type { EstateDocument, RegionInput } from './schema';

/**
 * Builds the runtime estate from a validated document. Cross-references (VPC endpoint
 * ids, load balancers, authorizers, mapped APIs, ...) are checked here; every problem is
 * collected and thrown together as an EstateValidationError.
 */
export function buildEstate(doc: EstateDocument, source?: string): Estate {
  const ctx = new BuildContext(doc.partition);
  const accounts: AccountState[] = [];
  const accountsById = new Map<string, AccountState>();
  const accessKeys = new Map<string, string>();

  doc.accounts.forEach((account, i) => {
    if (accountsById.has(account.id)) {
      ctx.issue(['accounts', i, 'id'], `duplicate account id '${account.id}'`);
      return;
    }
    account.accessKeys?.forEach((key, j) => {
      if (accessKeys.has(key)) {
        ctx.issue(
          ['accounts', i, 'accessKeys', j],
          `access key '${key}' already belongs to account ${accessKeys.get(
            key,
          )}`,
        );
      }
      accessKeys.set(key, account.id);
    });
    const state: AccountState = {
      id: account.id,
      name: account.name,
      email:
        account.email ??
        `aws+${account.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')}@example.com`,
      status: account.status,
      joined: account.joined
        ? new Date(account.joined)
        : defaultDate(`joined:${account.id}`),
      roles: account.roles,
      regions: new Map(),
    };
    accounts.push(state);
    accountsById.set(account.id, state);
  });

  // Pass 1: networks, so that APIs and domains of any account can refer to any endpoint.
  const regionInputs: Array<{
    input: RegionInput;
    state: RegionState;
    path: IssuePath;
  }> = [];
  doc.accounts.forEach((account, i) => {
    const accountState = accountsById.get(account.id);
    if (!accountState || accountState.regions.size > 0) return;
    for (const [region, input] of Object.entries(account.regions)) {
      const state = emptyRegion(account.id, region);
      const path = ['accounts', i, 'regions', region];
      buildNetwork(ctx, input, state, path);
      accountState.regions.set(region, state);
      regionInputs.push({ input, state, path });
    }
  });
  const vpcEndpointsById = new Map<string, VpcEndpointState>();
  for (const { state } of regionInputs) {
    for (const endpoint of state.vpcEndpoints)
      vpcEndpointsById.set(endpoint.id, endpoint);
  }

  // Pass 2: APIs, then the custom domains that map them.
  for (const { input, state, path } of regionInputs) {
    input.restApis.forEach((api, i) => {
      const built = buildRestApi(ctx, api, state, vpcEndpointsById, [
        ...path,
        'restApis',
        i,
      ]);
      state.restApis.push(built);
      state.restApisById.set(built.id, built);
    });
    input.httpApis.forEach((api, i) => {
      const built = buildV2Api(ctx, api, state, [...path, 'httpApis', i]);
      state.v2Apis.push(built);
      state.v2ApisById.set(built.apiId, built);
    });
    input.domainNames.forEach((domain, i) => {
      state.domains.push(
        buildDomain(ctx, domain, state, vpcEndpointsById, [
          ...path,
          'domainNames',
          i,
        ]),
      );
    });
  }

  const mainAccount = doc.mainAccount ?? doc.accounts[0].id;
  if (!accountsById.has(mainAccount)) {
    ctx.issue(
      ['mainAccount'],
      `'${mainAccount}' is not an account of the estate`,
    );
  }
  const managementAccount = doc.organization.managementAccount ?? mainAccount;
  if (!accountsById.has(managementAccount)) {
    ctx.issue(
      ['organization', 'managementAccount'],
      `'${managementAccount}' is not an account of the estate`,
    );
  }
  doc.faults.forEach((fault, i) => {
    if (fault.account && !accountsById.has(fault.account)) {
      ctx.issue(
        ['faults', i, 'account'],
        `'${fault.account}' is not an account of the estate`,
      );
    }
  });

  if (ctx.issues.length > 0)
    throw new EstateValidationError(ctx.issues, source);
  return {
    partition: doc.partition,
    mainAccount,
    organization: {
      id: doc.organization.id ?? `o-${ids.api(`org:${managementAccount}`)}`,
      managementAccount,
      delegatedAdmins: doc.organization.delegatedAdmins,
      emptyPages: doc.organization.emptyPages,
    },
    accounts,
    accountsById,
    vpcEndpointsById,
    accessKeys,
    quotas: doc.quotas,
    latencyMs: doc.latencyMs,
    faults: doc.faults,
  };
}

function buildDomain(
  ctx: BuildContext,
  input: RegionInput['domainNames'][number],
  region: RegionState,
  endpoints: Map<string, VpcEndpointState>,
  path: IssuePath,
): DomainState {
  const { accountId } = region;
  const isPrivate = input.endpointType === 'PRIVATE';
  const seed = `${accountId}:${region.region}:domain:${input.name}`;
  if (
    !isPrivate &&
    region.domains.some(
      d => d.domainName === input.name && d.endpointType !== 'PRIVATE',
    )
  ) {
    ctx.issue([...path, 'name'], `duplicate domain name '${input.name}'`);
  }
  if (!isPrivate && input.domainNameId) {
    ctx.issue(
      [...path, 'domainNameId'],
      'only PRIVATE custom domain names have a domainNameId',
    );
  }
  const domainNameId = isPrivate
    ? ctx.allocateId('domain name', input.domainNameId, seed, ids.api, [
        ...path,
        'domainNameId',
      ])
    : undefined;
  const qualified = isPrivate ? `${input.name}+${domainNameId}` : input.name;
  const domainNameArn = `arn:${ctx.partition}:apigateway:${region.region}:${
    isPrivate ? accountId : ''
  }:/domainnames/${qualified}`;

  if (!isPrivate && (input.policy || input.accessAssociations)) {
    ctx.issue(
      [...path, input.policy ? 'policy' : 'accessAssociations'],
      `only PRIVATE custom domain names have ${
        input.policy ? 'a policy' : 'access associations'
      }`,
    );
  }
  const accessAssociations = (input.accessAssociations ?? []).flatMap(
    (endpointId, i) => {
      const endpoint = endpoints.get(endpointId);
      if (!endpoint || endpoint.region !== region.region) {
        ctx.issue(
          [...path, 'accessAssociations', i],
          `'${endpointId}' is not a VPC endpoint of the estate in ${region.region}`,
        );
        return [];
      }
      return [
        {
          vpcEndpointId: endpointId,
          ownerAccountId: endpoint.accountId,
          arn: `arn:${ctx.partition}:apigateway:${region.region}:${endpoint.accountId}:/domainnameaccessassociations/domainname/${qualified}/vpcesource/${endpointId}`,
        },
      ];
    },
  );
  const invokeArn = `arn:${ctx.partition}:execute-api:${region.region}:${accountId}:/domainnames/${qualified}`;
  const defaultPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: [invokeArn],
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: [invokeArn],
        Condition: {
          StringNotEquals: {
            'aws:SourceVpce': accessAssociations.map(a => a.vpcEndpointId),
          },
        },
      },
    ],
  };

  const mappings = input.mappings.flatMap((mapping, i) => {
    const mappingPath = [...path, 'mappings', i];
    const rest = region.restApisById.get(mapping.api);
    const v2 = region.v2ApisById.get(mapping.api);
    const stages = rest
      ? rest.stages.map(s => s.stageName)
      : v2?.stages.map(s => s.stageName);
    if (!stages) {
      ctx.issue(
        [...mappingPath, 'api'],
        `'${mapping.api}' is not an API of account ${accountId} in ${region.region}`,
      );
      return [];
    }
    if (!stages.includes(mapping.stage)) {
      ctx.issue(
        [...mappingPath, 'stage'],
        `API ${mapping.api} has no stage '${mapping.stage}'`,
      );
    }
    if (isPrivate && rest?.endpointType !== 'PRIVATE') {
      ctx.issue(
        [...mappingPath, 'api'],
        'a private custom domain name maps PRIVATE REST APIs only',
      );
    }
    if (input.mappings.findIndex(m => m.basePath === mapping.basePath) !== i) {
      ctx.issue(
        [...mappingPath, 'basePath'],
        `duplicate base path '${mapping.basePath}'`,
      );
    }
    return [
      {
        apiMappingId: ids.short(`${qualified}:mapping:${mapping.basePath}`),
        basePath: mapping.basePath,
        apiId: mapping.api,
        stage: mapping.stage,
      },
    ];
  });

  return {
    domainName: input.name,
    domainNameId,
    domainNameArn,
    accountId,
    region: region.region,
    endpointType: input.endpointType,
    certificateArn:
      input.certificateArn ??
      `arn:${ctx.partition}:acm:${
        input.endpointType === 'EDGE' ? 'us-east-1' : region.region
      }:${accountId}:certificate/${uuid(seed)}`,
    securityPolicy: input.securityPolicy,
    regionalDomainName:
      input.endpointType === 'REGIONAL'
        ? `d-${ids.api(`${seed}:regional`)}.execute-api.${
            region.region
          }.amazonaws.com`
        : undefined,
    regionalHostedZoneId:
      input.endpointType === 'REGIONAL'
        ? hostedZone(region.region, 'apigw')
        : undefined,
    distributionDomainName:
      input.endpointType === 'EDGE'
        ? `d${ids.api(`${seed}:cf`)}abc.cloudfront.net`
        : undefined,
    policy: isPrivate
      ? normalizePolicy(input.policy ?? defaultPolicy, invokeArn)
      : undefined,
    accessAssociations,
    mappings,
    tags: input.tags ?? {},
  };
}

function uuid(seed: string): string {
  const hex = ids.hex(seed, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(
    12,
    16,
  )}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
