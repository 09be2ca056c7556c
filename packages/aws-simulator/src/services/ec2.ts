import { SimError } from '../errors';
import type { VpcEndpointState, VpcState } from '../estate/model';
import { InvalidTokenError, paginate } from '../pagination';
import {
  ec2Error,
  ec2Items,
  ec2Response,
  QueryParams,
} from '../protocols/query';
import type { CallContext, ServiceEndpoint } from './types';
import { resolveQueryCall } from './queryEndpoint';

/** EC2 (ec2Query): the VPC endpoints and VPCs of the calling account and Region. */

const invalidParameter = (message: string) =>
  new SimError('InvalidParameterValue', message, 400);

type Filter = { name: string; values: string[] };
type Matchers<T> = Record<string, (item: T) => string | string[] | undefined>;

/** EC2 filter values allow `*` and `?` wildcards; any value of a filter may match. */
function globMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(value);
}

function applyFilters<T extends { tags: Record<string, string> }>(
  items: T[],
  filters: Filter[],
  matchers: Matchers<T>,
): T[] {
  const tests = filters.map(filter => {
    let field: (item: T) => string | string[] | undefined;
    if (filter.name.startsWith('tag:')) {
      const key = filter.name.slice(4);
      field = item => item.tags[key];
    } else if (filter.name === 'tag-key') {
      field = item => Object.keys(item.tags);
    } else if (matchers[filter.name]) {
      field = matchers[filter.name];
    } else {
      throw invalidParameter(`The filter '${filter.name}' is invalid`);
    }
    return (item: T) => {
      const actual = field(item);
      const candidates =
        actual === undefined ? [] : ([] as string[]).concat(actual);
      return filter.values.some(pattern =>
        candidates.some(value => globMatch(pattern, value)),
      );
    };
  });
  return items.filter(item => tests.every(test => test(item)));
}

/** MaxResults 5..1000 with NextToken; without MaxResults, everything in one page. */
function pageOf<T>(params: QueryParams, items: T[], list: string) {
  const maxResults = params.int('MaxResults', invalidParameter);
  if (maxResults !== undefined && (maxResults < 5 || maxResults > 1000)) {
    throw invalidParameter(
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value greater than 5 and less than 1000.`,
    );
  }
  const token = params.get('NextToken');
  try {
    return paginate(
      items,
      token,
      maxResults ?? Math.max(items.length, 1),
      list,
    );
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      throw new SimError(
        'InvalidPaginationToken',
        `The pagination token '${token}' is invalid`,
        400,
      );
    }
    throw error;
  }
}

const tagSet = (tags: Record<string, string>) =>
  ec2Items(Object.entries(tags).map(([key, value]) => ({ key, value })));

function describeVpcEndpoints(ctx: CallContext, params: QueryParams) {
  const wanted = params.list('VpcEndpointId');
  const all = ctx.regionState.vpcEndpoints;
  for (const id of wanted) {
    if (!/^vpce-[0-9a-f]{8,17}$/.test(id)) {
      throw new SimError(
        'InvalidVpcEndpointId.Malformed',
        `Invalid Id: '${id}' (expecting 'vpce-...')`,
        400,
      );
    }
    if (!all.some(e => e.id === id)) {
      throw new SimError(
        'InvalidVpcEndpointId.NotFound',
        `The Vpc Endpoint Id '${id}' does not exist`,
        400,
      );
    }
  }
  const selected = wanted.length ? all.filter(e => wanted.includes(e.id)) : all;
  const filtered = applyFilters<VpcEndpointState>(selected, params.filters(), {
    'service-name': e => e.serviceName,
    'vpc-id': e => e.vpcId,
    'vpc-endpoint-id': e => e.id,
    'vpc-endpoint-state': e => e.state,
    'vpc-endpoint-type': e => e.type,
  });
  const { items, next } = pageOf(
    params,
    filtered,
    `vpce:${ctx.identity.accountId}:${ctx.region}`,
  );
  return ec2Response(
    'DescribeVpcEndpoints',
    {
      vpcEndpointSet: ec2Items(
        items.map(e => ({
          vpcEndpointId: e.id,
          vpcEndpointType: e.type,
          vpcId: e.vpcId,
          serviceName: e.serviceName,
          state: e.state,
          policyDocument: e.policyDocument,
          routeTableIdSet: ec2Items([]),
          subnetIdSet: ec2Items(e.subnetIds),
          groupSet: ec2Items(
            e.securityGroupIds.map(groupId => ({
              groupId,
              groupName: `${e.id}-sg`,
            })),
          ),
          ipAddressType: 'ipv4',
          dnsOptions: { dnsRecordIpType: 'ipv4' },
          privateDnsEnabled: e.privateDnsEnabled,
          requesterManaged: false,
          networkInterfaceIdSet: ec2Items(e.networkInterfaceIds),
          dnsEntrySet: ec2Items(e.dnsEntries),
          creationTimestamp: e.createdAt.toISOString(),
          tagSet: tagSet(e.tags),
          ownerId: e.accountId,
        })),
      ),
      nextToken: next,
    },
    ctx.requestId,
  );
}

function describeVpcs(ctx: CallContext, params: QueryParams) {
  const wanted = params.list('VpcId');
  const all = ctx.regionState.vpcs;
  for (const id of wanted) {
    if (!all.some(v => v.id === id)) {
      throw new SimError(
        'InvalidVpcID.NotFound',
        `The vpc ID '${id}' does not exist`,
        400,
      );
    }
  }
  const selected = wanted.length ? all.filter(v => wanted.includes(v.id)) : all;
  const filtered = applyFilters<VpcState>(selected, params.filters(), {
    'vpc-id': v => v.id,
    'owner-id': v => v.accountId,
    state: () => 'available',
    'is-default': v => String(v.isDefault),
    'cidr-block': v => v.cidrBlocks[0],
    cidr: v => v.cidrBlocks[0],
    'cidr-block-association.cidr-block': v => v.cidrBlocks,
  });
  const { items, next } = pageOf(
    params,
    filtered,
    `vpcs:${ctx.identity.accountId}:${ctx.region}`,
  );
  return ec2Response(
    'DescribeVpcs',
    {
      vpcSet: ec2Items(
        items.map(v => ({
          vpcId: v.id,
          ownerId: v.accountId,
          state: 'available',
          cidrBlock: v.cidrBlocks[0],
          cidrBlockAssociationSet: ec2Items(
            v.cidrBlocks.map((cidrBlock, i) => ({
              associationId: `vpc-cidr-assoc-${v.id.slice(4, 12)}${i}`,
              cidrBlock,
              cidrBlockState: { state: 'associated' },
            })),
          ),
          dhcpOptionsId: `dopt-${v.id.slice(4, 21)}`,
          instanceTenancy: 'default',
          isDefault: v.isDefault,
          tagSet: tagSet(v.tags),
        })),
      ),
      nextToken: next,
    },
    ctx.requestId,
  );
}

const operations: Record<
  string,
  (ctx: CallContext, params: QueryParams) => ReturnType<typeof ec2Response>
> = {
  DescribeVpcEndpoints: describeVpcEndpoints,
  DescribeVpcs: describeVpcs,
};

export const ec2Endpoint: ServiceEndpoint = {
  signingName: 'ec2',
  resolve: req =>
    resolveQueryCall(req, {
      service: 'ec2',
      operations,
      errors: ec2Endpoint.errors,
    }),
  encodeError: ec2Error,
  errors: {
    throttling: retryAfterSeconds =>
      new SimError('RequestLimitExceeded', 'Request limit exceeded.', 503, {
        retryAfterSeconds,
      }),
    accessDenied: (_identity, operation) =>
      new SimError(
        'UnauthorizedOperation',
        `You are not authorized to perform this operation (ec2:${operation}).`,
        403,
      ),
    serverError: status =>
      status === 503
        ? new SimError(
            'Unavailable',
            'The server is overloaded and cannot handle the request.',
            503,
          )
        : new SimError('InternalError', 'An internal error has occurred.', 500),
    expiredToken: () =>
      new SimError('ExpiredToken', 'The provided token has expired.', 400),
    unknownOperation: (operation, supported) =>
      new SimError(
        'UnknownOperationException',
        `The simulator does not implement EC2 action ${operation}. Implemented: ${supported.join(
          ', ',
        )}`,
        501,
      ),
  },
};
