import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /**
   * The private API catalogue (`@private-api-catalog/plugin-private-api-backend`). Without
   * this section the plugin serves its (empty) inventory and does not crawl.
   * Credentials come from Backstage's `aws` section (@backstage/integration-aws-node):
   * `aws.mainAccount`, `aws.accountDefaults` (e.g. the discovery role name) and `aws.accounts`.
   */
  privateApi?: {
    /** Accounts to crawl, explicitly. */
    accounts?: Array<{
      /** The 12-digit account id (quote it in YAML). */
      accountId: string;
      /** A human name shown on entity pages; Organizations names win when both exist. */
      name?: string;
      /** Regions to crawl in this account; default `privateApi.regions`. */
      regions?: string[];
    }>;
    /** Also crawl every account listed in `aws.accounts`. Default false. */
    useAwsIntegrationAccounts?: boolean;
    /** Also crawl the active accounts of an AWS Organization (ListAccounts). */
    organizations?: {
      /** The management or delegated administrator account to call ListAccounts in. */
      accountId: string;
      /** Regular expressions on account id or name; an account must match one (default: all). */
      include?: string[];
      /** Regular expressions on account id or name; a matching account is skipped. */
      exclude?: string[];
    };
    /** Regions to crawl in every account. Default `[us-east-1]`. */
    regions?: string[];
    /** API types to discover: REST, HTTP, WEBSOCKET. Default all three. */
    apiTypes?: Array<'REST' | 'HTTP' | 'WEBSOCKET'>;
    /** API tag keys that give an entity its owner, system and lifecycle. */
    tagKeys?: {
      /** Default `owner`. */
      owner?: string;
      /** Default `system`. */
      system?: string;
      /** Default `lifecycle`. */
      lifecycle?: string;
    };
    /** Values for APIs without those tags (a warning lists the APIs that use them). */
    defaults?: {
      /** An entity ref such as `group:default/platform`; without it untagged APIs get `unknown`. */
      owner?: string;
      system?: string;
      /** Default `production`. */
      lifecycle?: string;
    };
    /** Export OpenAPI definitions (GetExport/ExportApi) for the entities. Default true. */
    exportDefinitions?: boolean;
    /** Traffic from CloudWatch (`AWS/ApiGateway` Count). */
    traffic?: {
      /** Default true. */
      enabled?: boolean;
      /** Days of daily traffic to read, 1 to 455. Default 30. */
      days?: number;
    };
    /** A scope's crawl is full (no reuse of unchanged APIs' details) at least this often. Default 24. */
    fullCrawlIntervalHours?: number;
    /** Endpoint overrides for AWS-compatible endpoints (the simulator, LocalStack). */
    endpoints?: {
      /** For every service not listed below. */
      default?: string;
      apigateway?: string;
      ec2?: string;
      elasticloadbalancing?: string;
      /** CloudWatch. */
      monitoring?: string;
      /** Sets AWS_ENDPOINT_URL_STS for @backstage/integration-aws-node's role assumption. */
      sts?: string;
      organizations?: string;
      /** CloudTrail (the change feed's LookupEvents). */
      cloudtrail?: string;
      /** SQS (the change feed's queue). */
      sqs?: string;
    };
    /**
     * The change feed: between full crawls, discovery reads CloudTrail event history
     * (LookupEvents) of every account and Region and re-crawls only the APIs the events
     * name. Needs `cloudtrail:LookupEvents`; without it, the scope falls back to the
     * scheduled polling with a warning.
     */
    changeFeed?: {
      /** Default true. */
      enabled?: boolean;
      /** Seconds between two LookupEvents polls of an account and Region; at least 10. Default 60. */
      pollIntervalSeconds?: number;
      /**
       * Per Region, an SQS queue that an EventBridge rule feeds with "AWS API Call via
       * CloudTrail" events of apigateway.amazonaws.com and ec2.amazonaws.com: changes reach
       * the catalog within seconds. Needs `sqs:ReceiveMessage` and `sqs:DeleteMessage`.
       * Example: `{ us-east-1: https://sqs.us-east-1.amazonaws.com/123456789012/api-changes }`.
       */
      sqsQueueUrl?: { [region: string]: string };
    };
    /** Client-side token buckets per account, matching API Gateway's control-plane quotas. */
    quotas?: {
      /** Default true. */
      enabled?: boolean;
      /** All API Gateway management calls of an account. Default 10. */
      requestsPerSecond?: number;
      /** AWS's burst. Default 40; the client keeps 10 of it (a quarter, at most) in reserve. */
      burst?: number;
      /** GetResources. Default 2.5 (5 per 2 s). */
      getResourcesPerSecond?: number;
      /** Default 5. */
      getResourcesBurst?: number;
      /** CreateDeployment (access requests). Default 5. */
      createDeploymentIntervalSeconds?: number;
    };
    concurrency?: {
      /** Accounts crawled at once. Default 10. */
      accounts?: number;
      /** API detail crawls in flight per account. Default 8. */
      apisPerAccount?: number;
    };
    /** AWS SDK attempts per call (the SDK's standard retry). Default 3. */
    maxAttempts?: number;
    /** Per-call connection and request timeout. Default 10000. */
    requestTimeoutMs?: number;
    /** Self-service VPC access requests. */
    /**
     * Entity refs (users or groups, e.g. `group:default/platform-team`) that administer the
     * plugin. The recommended permission decisions (privateApiAccessRequestDecision) let only
     * them start a discovery run and see AWS errors in full; others see a summary without
     * role ARNs.
     */
    admins?: string[];
    accessRequests?: {
      /**
       * How approved requests reach AWS: `direct` (the plugin changes the resource policy,
       * associates the endpoint when asked, and redeploys every stage, with the apply role) or
       * `handoff` (the owners get the new policy, a diff, and Terraform/CloudFormation snippets
       * to apply in their IaC). Default `handoff`.
       */
      mode?: 'direct' | 'handoff';
      /** Per-account modes, over `mode`. */
      accounts?: Array<{ accountId: string; mode: 'direct' | 'handoff' }>;
      /**
       * A role (name, in the API's account) that the plugin assumes from the account's
       * discovery credentials to apply changes; without it the discovery credentials apply
       * them. See the README for the actions it needs.
       */
      applyRoleName?: string;
      /**
       * Whether an owner of the API may approve (and apply) a request they made themselves.
       * Default false: another owner must decide. The demo turns it on so that one guest
       * user can try the whole flow.
       */
      allowSelfApproval?: boolean;
      /**
       * How many open requests (pending, approved, applying, applied, failed,
       * needs-attention) one user may have at once; a further request answers 429.
       * Default 20.
       */
      maxOpenPerUser?: number;
      /**
       * Seconds an apply holds its lease (and the API's lock) without renewing it. The
       * applying replica renews it every third of this; when a replica dies mid-apply, the
       * recovery task (every minute) settles the request from what AWS holds once the lease
       * has expired. Default 60.
       */
      leaseSeconds?: number;
    };
    /**
     * The worker threads that run policy analysis (discovery, previews) and access changes
     * (grant, revoke, undo), so that a large policy does not hold up the backend's other
     * requests.
     */
    policyWorkers?: {
      /**
       * Worker threads. Default: the machine's cores minus one, at least 2. 0 runs the work
       * on the event loop (a 20,000-character policy can then delay every request by up to
       * about 200 ms).
       */
      threads?: number;
      /** Jobs that may wait for a thread; more are refused with 503 (try again). Default 100. */
      maxQueue?: number;
      /**
       * How many threads discovery's jobs (its analyses, its estate index) may hold at once.
       * Default `threads - 1` (at least 1), so a thread is always free for users' previews,
       * checks and applies. At most `threads`; equal to it, a user's job may wait for one of
       * discovery's to end.
       */
      discoveryThreads?: number;
    };
    /**
     * Price tables by Region, over the embedded ones (us-east-1, eu-west-1, eu-central-1,
     * dated, with sources): any field of the plugin's PriceTable type (restRequests tiers,
     * httpRequests, restCacheHourly, loadBalancers, asOf, sources, ...). A Region without a
     * table is priced with us-east-1's, and the estimate says so.
     */
    priceTables?: {
      [region: string]: { [field: string]: unknown };
    };
    /**
     * When discovery runs. Default every 30 minutes, 25-minute timeout, global across replicas.
     * With a `frequency` duration, each account is crawled once per that period; the shard
     * tasks look for due accounts every tenth of it (between 1 s and 1 minute).
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /**
     * Discovery runs as this many scheduler tasks (shards), each crawling the accounts whose
     * id hashes to it; backend replicas sharing the database split the shards. Default 4.
     * Every replica must use the same value.
     */
    shards?: number;
    /**
     * Shard tasks one replica runs at once. A replica at this limit passes a due shard on
     * (the shard is looked at again shortly, by whichever replica claims it). Default: all
     * shards. With R replicas, ceil(shards / R) spreads discovery over them.
     */
    maxShardsPerReplica?: number;
    catalog?: {
      /** How often the catalog module checks the inventory for changed scopes. Default every 30 s. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
