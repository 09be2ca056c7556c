import { z } from 'zod';

/**
 * The estate file format: what a person writes by hand (or the generator emits). Most
 * fields have defaults; ids are derived deterministically when omitted. Objects are strict
 * so that a misspelt key is reported instead of ignored.
 */

/** YAML reads an unquoted 111111111111 as a number; accept it and restore leading zeros. */
const accountId = z.preprocess(
  v => (typeof v === 'number' ? String(v).padStart(12, '0') : v),
  z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
);
const region = z
  .string()
  .regex(
    /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/,
    'must be a Region code like us-east-1',
  );
const vpcId = z
  .string()
  .regex(/^vpc-[0-9a-f]{17}$/, "must be 'vpc-' followed by 17 hex digits");
const vpceId = z
  .string()
  .regex(/^vpce-[0-9a-f]{17}$/, "must be 'vpce-' followed by 17 hex digits");
const subnetId = z
  .string()
  .regex(/^subnet-[0-9a-f]{8,17}$/, "must be 'subnet-' followed by hex digits");
const securityGroupId = z
  .string()
  .regex(/^sg-[0-9a-f]{8,17}$/, "must be 'sg-' followed by hex digits");
const restApiId = z
  .string()
  .regex(/^[a-z0-9]{10}$/, 'must be 10 lowercase letters or digits');
const shortId = z
  .string()
  .regex(/^[a-z0-9]{4,12}$/, 'must be 4 to 12 lowercase letters or digits');
/** Dates as ISO strings; YAML may already have turned an unquoted date into a Date. */
const isoDate = z.preprocess(
  v => (v instanceof Date ? v.toISOString() : v),
  z
    .string()
    .refine(
      s => !Number.isNaN(Date.parse(s)),
      'must be an ISO date (2024-03-01 or 2024-03-01T12:00:00Z)',
    ),
);
const tags = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()]).transform(String),
);
/** A JSON policy document: a YAML mapping or a JSON string. */
const policyDocument = z.union([
  z.string().refine(s => {
    try {
      return typeof JSON.parse(s) === 'object';
    } catch {
      return false;
    }
  }, 'must be a JSON policy document'),
  z.record(z.string(), z.unknown()),
]);

/** Daily requests (REST/HTTP) or messages (WebSocket), and WebSocket connections. */
const traffic = z.union([
  z.number().min(0),
  z
    .object({
      daily: z.number().min(0),
      connectsPerDay: z.number().min(0).optional(),
    })
    .strict(),
]);

export const CACHE_SIZES = [
  '0.5',
  '1.6',
  '6.1',
  '13.5',
  '28.4',
  '58.2',
  '118',
  '237',
] as const;

const cacheSize = z.preprocess(
  v => (typeof v === 'number' ? String(v) : v),
  z.enum(CACHE_SIZES),
);

const bucket = z.union([
  z.literal(false),
  z
    .object({
      rate: z.number().positive(),
      burst: z.number().int().positive(),
    })
    .strict(),
]);

/** Quota overrides on top of the built-in defaults; `false` turns quotas off. */
export const quotasSchema = z.union([
  z.literal(false),
  z
    .object({
      /** Per account and signing service name (apigateway, ec2, sts, ...). */
      services: z.record(z.string(), bucket).optional(),
      /** Per account and operation, keyed `service:Operation` (apigateway:GetResources). */
      operations: z.record(z.string(), bucket).optional(),
    })
    .strict(),
]);

const faultScope = {
  /** Only calls acting in this account (for AssumeRole: the role's account). */
  account: accountId.optional(),
  /** Only this service: apigateway, apigatewayv2, ec2, elasticloadbalancing, sts, monitoring, organizations. */
  service: z.string().optional(),
  /** Only this operation (GetRestApis, DescribeVpcEndpoints, ...). */
  operation: z.string().optional(),
};

export const faultSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('accessDenied'),
      ...faultScope,
      account: accountId,
    })
    .strict(),
  z
    .object({
      type: z.literal('serverError'),
      ...faultScope,
      /** Share of matching calls answered with a 5xx, 0..1. */
      rate: z.number().min(0).max(1),
      /** Seed of the draws: the same seed and call order give the same failures. */
      seed: z.number().int().default(1),
      status: z.union([z.literal(500), z.literal(503)]).default(503),
    })
    .strict(),
  z
    .object({
      type: z.literal('slow'),
      ...faultScope,
      delayMs: z.number().int().min(0),
    })
    .strict(),
  z
    .object({ type: z.literal('timeout'), ...faultScope, account: accountId })
    .strict(),
]);
export type Fault = z.infer<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;

/**
 * Where an integration sends requests. Exactly one of lambda, http, mock, aws, vpcLink;
 * `type` and `uri` override what is derived from it.
 */
const integrationFields = {
  /** Lambda function name or ARN (AWS_PROXY). */
  lambda: z.string().min(1).optional(),
  /** Backend URL (HTTP_PROXY). */
  http: z.string().url().optional(),
  mock: z.literal(true).optional(),
  /** AWS service integration (REST: AWS type). */
  aws: z
    .object({
      service: z.string().min(1),
      action: z.string().optional(),
      path: z.string().optional(),
    })
    .strict()
    .optional(),
  /** Private integration through a VPC link of the same account and Region. */
  vpcLink: z
    .object({
      /** VPC link id or name. */
      id: z.string().min(1),
      /** Load balancer name: V1 links default to their first target. */
      loadBalancer: z.string().optional(),
      /** Listener port (default: the load balancer's first listener). */
      port: z.number().int().min(1).max(65535).optional(),
      /** V1 only: path appended to the NLB URL. */
      path: z.string().optional(),
      /** V2 only: a Cloud Map service name or ARN instead of a load balancer. */
      cloudMapService: z.string().optional(),
    })
    .strict()
    .optional(),
  type: z.enum(['HTTP', 'HTTP_PROXY', 'AWS', 'AWS_PROXY', 'MOCK']).optional(),
  uri: z.string().optional(),
  /** Integration HTTP method (default POST for Lambda, the method's own otherwise). */
  method: z.string().optional(),
  timeoutMs: z.number().int().min(50).max(300000).optional(),
  /** v2: AWS service integration subtype, e.g. SQS-SendMessage. */
  subtype: z.string().optional(),
  /** v2: 1.0 or 2.0. */
  payloadFormatVersion: z.enum(['1.0', '2.0']).optional(),
  /** v2 private integrations: TLS server name to verify. */
  tlsServerName: z.string().optional(),
  description: z.string().optional(),
};

function exactlyOneTarget(
  value: Partial<
    Record<'lambda' | 'http' | 'mock' | 'aws' | 'vpcLink', unknown>
  >,
  ctx: z.RefinementCtx,
) {
  const kinds = (['lambda', 'http', 'mock', 'aws', 'vpcLink'] as const).filter(
    k => value[k] !== undefined,
  );
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `needs exactly one of lambda, http, mock, aws, vpcLink (found ${
        kinds.length ? kinds.join(', ') : 'none'
      })`,
    });
  }
}

const integration = z
  .object(integrationFields)
  .strict()
  .superRefine(exactlyOneTarget);
export type IntegrationInput = z.infer<typeof integration>;

const restAuthorization = z.enum([
  'NONE',
  'AWS_IAM',
  'CUSTOM',
  'COGNITO_USER_POOLS',
]);
const HTTP_METHODS = 'GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY';

const restMethodFields = {
  authorization: restAuthorization.optional(),
  /** Name or id of an authorizer of this API; implies CUSTOM or COGNITO_USER_POOLS. */
  authorizer: z.string().optional(),
  apiKeyRequired: z.boolean().optional(),
  /** OAuth scopes (Cognito authorizers). */
  scopes: z.array(z.string()).optional(),
  integration: integration.optional(),
};

/** `'GET /pets/{id}'` or `{ route: 'GET /pets/{id}', authorization: AWS_IAM, ... }`. */
const restMethod = z.preprocess(
  v => (typeof v === 'string' ? { route: v } : v),
  z
    .object({
      route: z
        .string()
        .regex(
          new RegExp(`^(${HTTP_METHODS}) /\\S*$`),
          `must be 'METHOD /path' with METHOD one of ${HTTP_METHODS.replace(
            /\|/g,
            ', ',
          )}`,
        ),
      operationName: z.string().optional(),
      ...restMethodFields,
    })
    .strict(),
);

const restAuthorizer = z
  .object({
    id: shortId.optional(),
    name: z.string().min(1),
    type: z.enum(['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS']),
    /** Lambda authorizers: function name or ARN. */
    lambda: z.string().optional(),
    /** Cognito authorizers: user pool ids (us-east-1_AbC123) or ARNs. */
    userPools: z.array(z.string()).optional(),
    identitySource: z.string().optional(),
    identityValidationExpression: z.string().optional(),
    ttl: z.number().int().min(0).max(3600).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (
      value.type === 'COGNITO_USER_POOLS'
        ? !value.userPools?.length
        : !value.lambda
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          value.type === 'COGNITO_USER_POOLS'
            ? 'a COGNITO_USER_POOLS authorizer needs userPools'
            : `a ${value.type} authorizer needs lambda (a function name or ARN)`,
      });
    }
  });

const methodSetting = z
  .object({
    metricsEnabled: z.boolean().optional(),
    loggingLevel: z.enum(['OFF', 'ERROR', 'INFO']).optional(),
    dataTraceEnabled: z.boolean().optional(),
    throttlingBurstLimit: z.number().int().optional(),
    throttlingRateLimit: z.number().optional(),
    cachingEnabled: z.boolean().optional(),
    cacheTtlInSeconds: z.number().int().min(0).max(3600).optional(),
  })
  .strict();

const restStage = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _'),
    description: z.string().optional(),
    deploymentId: shortId.optional(),
    /** When the stage was last deployed (default: the API's creation date). */
    lastUpdated: isoDate.optional(),
    cacheClusterEnabled: z.boolean().optional(),
    /** Cache size in GB; setting it enables the cache unless cacheClusterEnabled is false. */
    cacheClusterSize: cacheSize.optional(),
    cacheClusterStatus: z
      .enum([
        'CREATE_IN_PROGRESS',
        'AVAILABLE',
        'DELETE_IN_PROGRESS',
        'NOT_AVAILABLE',
        'FLUSH_IN_PROGRESS',
      ])
      .optional(),
    tracingEnabled: z.boolean().optional(),
    webAclArn: z.string().optional(),
    variables: z.record(z.string(), z.string()).optional(),
    /** Keys `{resource_path}/{http_method}` or `*\/*`. */
    methodSettings: z.record(z.string(), methodSetting).optional(),
    traffic: traffic.optional(),
    tags: tags.optional(),
  })
  .strict();

const restApi = z
  .object({
    id: restApiId.optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    endpointType: z.enum(['PRIVATE', 'REGIONAL', 'EDGE']).default('PRIVATE'),
    /** PRIVATE only: VPC endpoints associated for Route 53 alias names (same Region, any account). */
    vpcEndpointIds: z.array(vpceId).optional(),
    /** Resource policy; `execute-api:/...` resources are expanded to full ARNs. */
    policy: policyDocument.optional(),
    tags: tags.optional(),
    createdDate: isoDate.optional(),
    apiKeySource: z.enum(['HEADER', 'AUTHORIZER']).optional(),
    disableExecuteApiEndpoint: z.boolean().optional(),
    ipAddressType: z.enum(['ipv4', 'dualstack']).optional(),
    binaryMediaTypes: z.array(z.string()).optional(),
    authorizers: z.array(restAuthorizer).optional(),
    /** Applied to every method that does not set the field itself. */
    methodDefaults: z.object(restMethodFields).strict().optional(),
    methods: z.array(restMethod).optional(),
    /** Default: one stage named prod. */
    stages: z.array(restStage).optional(),
    /** A hand-written OpenAPI document returned by GetExport instead of the generated one. */
    openapi: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type RestApiInput = z.infer<typeof restApi>;
/** A REST API as written in an estate (before defaults). */
export type RestApiDocument = z.input<typeof restApi>;

const v2Authorization = z.enum(['NONE', 'AWS_IAM', 'CUSTOM', 'JWT']);

const v2Authorizer = z
  .object({
    id: shortId.optional(),
    name: z.string().min(1),
    type: z.enum(['JWT', 'REQUEST']),
    issuer: z.string().url().optional(),
    audience: z.array(z.string()).optional(),
    lambda: z.string().optional(),
    identitySource: z.union([z.string(), z.array(z.string())]).optional(),
    ttl: z.number().int().min(0).max(3600).optional(),
    payloadFormatVersion: z.enum(['1.0', '2.0']).optional(),
    simpleResponses: z.boolean().optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.type === 'JWT' && !value.issuer) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'a JWT authorizer needs issuer',
      });
    }
    if (value.type === 'REQUEST' && !value.lambda) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'a REQUEST authorizer needs lambda (a function name or ARN)',
      });
    }
  });

/** A named integration routes refer to, or an inline one. */
const v2Integration = z
  .object({
    name: z.string().min(1),
    id: shortId.optional(),
    ...integrationFields,
  })
  .strict()
  .superRefine(exactlyOneTarget);
const v2IntegrationRef = z.union([z.string().min(1), integration]);

const v2RouteFields = {
  authorization: v2Authorization.optional(),
  authorizer: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  apiKeyRequired: z.boolean().optional(),
  /** Name of an entry of `integrations`, or an inline integration. */
  integration: v2IntegrationRef.optional(),
};

/** `'GET /orders'`, `'$default'`, `'$connect'`, ... or an object with `key`. */
const v2Route = z.preprocess(
  v => (typeof v === 'string' ? { key: v } : v),
  z
    .object({
      key: z.string().min(1),
      id: shortId.optional(),
      ...v2RouteFields,
    })
    .strict(),
);

const v2Stage = z
  .object({
    name: z
      .string()
      .regex(
        /^(\$default|[A-Za-z0-9_-]+)$/,
        "must be '$default' or letters, digits, - or _",
      ),
    description: z.string().optional(),
    autoDeploy: z.boolean().optional(),
    deploymentId: shortId.optional(),
    lastUpdated: isoDate.optional(),
    variables: z.record(z.string(), z.string()).optional(),
    traffic: traffic.optional(),
    tags: tags.optional(),
  })
  .strict();

const v2Api = z
  .object({
    id: restApiId.optional(),
    name: z.string().min(1),
    protocol: z.enum(['HTTP', 'WEBSOCKET']).default('HTTP'),
    description: z.string().optional(),
    tags: tags.optional(),
    createdDate: isoDate.optional(),
    disableExecuteApiEndpoint: z.boolean().optional(),
    ipAddressType: z.enum(['ipv4', 'dualstack']).optional(),
    routeSelectionExpression: z.string().optional(),
    authorizers: z.array(v2Authorizer).optional(),
    integrations: z.array(v2Integration).optional(),
    routeDefaults: z.object(v2RouteFields).strict().optional(),
    routes: z.array(v2Route).optional(),
    /** Default: `$default` (auto-deployed) for HTTP APIs, `production` for WebSocket APIs. */
    stages: z.array(v2Stage).optional(),
    openapi: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type V2ApiInput = z.infer<typeof v2Api>;
/** An HTTP or WebSocket API as written in an estate (before defaults). */
export type V2ApiDocument = z.input<typeof v2Api>;

const vpc = z
  .object({
    id: vpcId,
    /** One CIDR block or several. */
    cidr: z.union([z.string(), z.array(z.string()).min(1)]),
    name: z.string().optional(),
    isDefault: z.boolean().optional(),
    tags: tags.optional(),
  })
  .strict();

const vpcEndpoint = z
  .object({
    id: vpceId,
    /** A VPC of the same account and Region. */
    vpc: vpcId,
    /** Service short name (execute-api, s3, ...) or full name (com.amazonaws.us-east-1.execute-api). */
    service: z.string().default('execute-api'),
    type: z.enum(['Interface', 'Gateway']).default('Interface'),
    privateDns: z.boolean().default(true),
    state: z
      .enum([
        'pendingAcceptance',
        'pending',
        'available',
        'deleting',
        'deleted',
        'rejected',
        'failed',
        'expired',
      ])
      .default('available'),
    /** Becomes the Name tag. */
    name: z.string().optional(),
    description: z.string().optional(),
    tags: tags.optional(),
    subnets: z.array(subnetId).optional(),
    securityGroups: z.array(securityGroupId).optional(),
    policy: policyDocument.optional(),
    createdAt: isoDate.optional(),
  })
  .strict();

const loadBalancer = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,32}$/, 'must be 1-32 letters, digits or hyphens'),
    type: z.enum(['network', 'application']).default('network'),
    scheme: z.enum(['internal', 'internet-facing']).default('internal'),
    vpc: vpcId.optional(),
    /** Default: one listener on 443 (TLS for NLBs, HTTPS for ALBs). */
    listeners: z
      .array(
        z
          .object({
            port: z.number().int().min(1).max(65535),
            protocol: z
              .enum(['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP'])
              .optional(),
          })
          .strict(),
      )
      .optional(),
    state: z
      .enum(['active', 'provisioning', 'active_impaired', 'failed'])
      .default('active'),
    createdAt: isoDate.optional(),
  })
  .strict();

const vpcLink = z
  .object({
    id: shortId.optional(),
    name: z.string().min(1),
    /** V1 links (REST APIs) target NLBs; V2 links (HTTP APIs) sit in subnets. */
    version: z.enum(['V1', 'V2']),
    description: z.string().optional(),
    /** V1: names or ARNs of NLBs of the same account and Region. */
    targets: z.array(z.string()).optional(),
    /** V2: subnets and security groups of the link's ENIs. */
    subnets: z.array(subnetId).optional(),
    securityGroups: z.array(securityGroupId).optional(),
    status: z
      .enum(['AVAILABLE', 'PENDING', 'DELETING', 'FAILED', 'INACTIVE'])
      .default('AVAILABLE'),
    statusMessage: z.string().optional(),
    tags: tags.optional(),
    createdAt: isoDate.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.version === 'V1' && !value.targets?.length) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'a V1 VPC link needs targets (NLB names or ARNs)',
      });
    }
    if (value.version === 'V2' && value.targets) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          'a V2 VPC link has no targets: integrations name the load balancer or Cloud Map service',
      });
    }
  });

const domainName = z
  .object({
    name: z
      .string()
      .regex(
        /^(\*\.)?([a-z0-9-]+\.)+[a-z]{2,}$/,
        'must be a lowercase DNS name',
      ),
    endpointType: z.enum(['REGIONAL', 'EDGE', 'PRIVATE']).default('REGIONAL'),
    /** PRIVATE only; derived when omitted. */
    domainNameId: shortId.optional(),
    certificateArn: z.string().optional(),
    securityPolicy: z.enum(['TLS_1_0', 'TLS_1_2']).default('TLS_1_2'),
    /** PRIVATE only: the domain's resource policy (default: allow invoke from the associated endpoints). */
    policy: policyDocument.optional(),
    /** PRIVATE only: VPC endpoints (any account of the estate, same Region) with an access association. */
    accessAssociations: z.array(vpceId).optional(),
    /** Base path mappings (REST) / API mappings (HTTP). */
    mappings: z
      .array(
        z
          .object({
            /** Empty for the root. */
            basePath: z.string().default(''),
            /** REST or HTTP API id of the same account and Region. */
            api: z.string(),
            stage: z.string(),
          })
          .strict(),
      )
      .default([]),
    tags: tags.optional(),
  })
  .strict();

const regionEstate = z
  .object({
    vpcs: z.array(vpc).default([]),
    vpcEndpoints: z.array(vpcEndpoint).default([]),
    loadBalancers: z.array(loadBalancer).default([]),
    vpcLinks: z.array(vpcLink).default([]),
    restApis: z.array(restApi).default([]),
    /** HTTP and WebSocket APIs (API Gateway v2). */
    httpApis: z.array(v2Api).default([]),
    domainNames: z.array(domainName).default([]),
  })
  .strict();
export type RegionInput = z.infer<typeof regionEstate>;

const account = z
  .object({
    id: accountId,
    name: z.string().min(1),
    email: z.string().email().optional(),
    status: z
      .enum(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'])
      .default('ACTIVE'),
    joined: isoDate.optional(),
    /**
     * Roles AssumeRole accepts. Omitted: any role name is accepted. A role with an
     * externalId requires it.
     */
    roles: z
      .array(
        z
          .object({
            name: z.string().min(1),
            externalId: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    /** Static access key ids that act in this account (others act in mainAccount). */
    accessKeys: z.array(z.string().min(16)).optional(),
    regions: z.record(region, regionEstate).default({}),
  })
  .strict();
export type AccountInput = z.infer<typeof account>;

export const estateSchema = z
  .object({
    /** The account static credentials act in (default: the first account). */
    mainAccount: accountId.optional(),
    partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']).default('aws'),
    organization: z
      .object({
        id: z
          .string()
          .regex(
            /^o-[a-z0-9]{10,32}$/,
            "must be 'o-' followed by 10-32 lowercase letters or digits",
          )
          .optional(),
        /** Default: mainAccount. Only it and delegated admins may call ListAccounts. */
        managementAccount: accountId.optional(),
        delegatedAdmins: z.array(accountId).default([]),
        /**
         * Answer ListAccounts with empty pages that still carry a NextToken (first and last),
         * as Organizations may; clients must keep paging.
         */
        emptyPages: z.boolean().default(true),
      })
      .strict()
      .default({}),
    quotas: quotasSchema.optional(),
    latencyMs: z.number().int().min(0).optional(),
    faults: z.array(faultSchema).default([]),
    accounts: z.array(account).min(1, 'needs at least one account'),
  })
  .strict();

export type EstateInput = z.input<typeof estateSchema>;
export type EstateDocument = z.infer<typeof estateSchema>;
export type QuotasInput = z.infer<typeof quotasSchema>;
