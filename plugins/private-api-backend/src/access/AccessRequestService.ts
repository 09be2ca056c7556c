import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AccessRequest,
  AccessRequestVerification,
  apiEntityName,
  ApiRecord,
  cloudFormationPolicySnippet,
  CreateAccessRequest,
  ProposedChange,
  StageDeploymentResult,
  terraformPolicySnippet,
  VpcEndpointRecord,
  wrongRegionGuidance,
} from '@private-api-catalog/plugin-private-api-common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { CreateDeploymentCommand } from '@aws-sdk/client-api-gateway';
import type { AwsClientFactory } from '../aws/clients';
import { describeAwsError } from '../aws/errors';
import { applyModeFor, PrivateApiConfig } from '../config/config';
import type { InventoryStore } from '../inventory/InventoryStore';
import { apiLockKey, ApiLocks } from './ApiLock';
import {
  AccessRequestStore,
  TooManyOpenRequestsError,
  Transition,
} from './AccessRequestStore';
import { AccessAudit } from './audit';
import { summarizeAwsError } from './awsSummary';
import { Caller, callerPaths } from './callerAccess';
import {
  apiArnOf,
  applyAccessRequest,
  ApplyOutcome,
  changeFor,
  holdsChange,
  readPolicy,
  stagesOf,
} from './DirectApplier';
import { AccessRequestNotifier } from './notifier';
import { inlinePolicyWork, PolicyWork } from '../policyWork/PolicyWork';

/** The actor of transitions that discovery makes. */
export const DISCOVERY_ACTOR = 'discovery';
/** The actor of transitions that the recovery of expired apply leases makes. */
export const RECOVERY_ACTOR = 'recovery';

function createEndpointHint(vpcId: string, region: string): string {
  return (
    `Create an interface endpoint for API Gateway in that VPC first, e.g. ` +
    `aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id ${vpcId} ` +
    `--service-name com.amazonaws.${region}.execute-api --subnet-ids <subnets> ` +
    `--security-group-ids <sg allowing TCP 443 from your callers> --private-dns-enabled --region ${region}`
  );
}

function callerOfRequest(request: AccessRequest): Caller {
  return {
    vpcId: request.vpcEndpointId ? undefined : request.vpcId,
    vpcEndpointId: request.vpcEndpointId,
  };
}

/**
 * Whether what discovery read holds the request's change: for a grant, the caller is
 * allowed on every route of its stages (and the endpoint associated, when asked); for a
 * revoke, the caller is allowed on no stage (and the endpoint no longer associated, when
 * asked).
 */
export async function changeInPlace(
  policyWork: PolicyWork,
  request: AccessRequest,
  api: ApiRecord,
  endpoints: VpcEndpointRecord[],
): Promise<boolean> {
  const caller = callerOfRequest(request);
  const associated = api.vpcEndpointIds.includes(request.vpcEndpointId ?? '');
  if (request.kind === 'revoke') {
    const stages = api.stages.map(s => s.stageName);
    const allowed = await callerAllowedOn(
      policyWork,
      api,
      (stages.length ? stages : ['*']).map(stage => [stage]),
      caller,
      endpoints,
    );
    const keptOut = !allowed.some(Boolean);
    return keptOut && !(request.associateEndpoint && associated);
  }
  if (request.associateEndpoint && !associated) return false;
  const [allowed] = await callerAllowedOn(
    policyWork,
    api,
    [request.stages],
    caller,
    endpoints,
  );
  return allowed;
}

/**
 * For each set of stages, whether the caller may call every route of them, decided on the
 * policy work's threads with only what the decision reads (the API's policy, stages and
 * routes; the endpoints of its Region).
 */
async function callerAllowedOn(
  policyWork: PolicyWork,
  api: ApiRecord,
  stageSets: string[][],
  caller: Caller,
  endpoints: VpcEndpointRecord[],
): Promise<boolean[]> {
  if (!api.policy) return stageSets.map(() => false);
  const { policy, executeApiArn, region, stages, routes } = api;
  return policyWork.run(
    'callerAllowedOn',
    { policy, executeApiArn, region, stages, routes },
    stageSets,
    { vpcId: caller.vpcId, vpcEndpointId: caller.vpcEndpointId },
    endpoints.filter(e => e.region === region),
  );
}

/** What an apply does to the endpoint's association, besides the policy. */
function associationNotes(request: AccessRequest, api: ApiRecord): string[] {
  if (!request.associateEndpoint || !request.vpcEndpointId) return [];
  const associated = api.vpcEndpointIds.includes(request.vpcEndpointId);
  if (request.kind === 'grant' && !associated) {
    return [
      `Also associates ${request.vpcEndpointId} with the API, for its Route 53 alias name.`,
    ];
  }
  if (request.kind === 'revoke' && associated) {
    return [
      `Also removes the association of ${request.vpcEndpointId} with the API: its Route 53 alias name stops resolving.`,
    ];
  }
  return [];
}

/**
 * The access-request workflow: validation, the state machine's transitions with their
 * side effects (proposed changes, applying to AWS under the API's lock, notifications,
 * audit), the recovery of applies whose process died, and verification by discovery.
 * Permission checks happen in the router, before these calls.
 */
export class AccessRequestService {
  private readonly audit: AccessAudit;

  constructor(
    private readonly options: {
      requests: AccessRequestStore;
      inventory: InventoryStore;
      config: PrivateApiConfig;
      locks: ApiLocks;
      /** Undefined when discovery is not configured: nothing can be applied then. */
      clients?: AwsClientFactory;
      notifier: AccessRequestNotifier;
      logger: LoggerService;
      audit?: AccessAudit;
      /** The owners (entity refs) of an API entity, from the catalog. */
      resolveOwners: (entityRef: string) => Promise<string[]>;
      /**
       * Where grants, revokes and undos are computed: the backend's worker threads. Default
       * inline (on the event loop), for tests and tools.
       */
      policyWork?: PolicyWork;
      /** Re-crawls one API (Verify now); undefined when discovery is not configured. */
      crawlApi?: (
        accountId: string,
        region: string,
        apiId: string,
      ) => Promise<void>;
    },
  ) {
    this.audit = options.audit ?? new AccessAudit(undefined, options.logger);
  }

  private get policyWork(): PolicyWork {
    return this.options.policyWork ?? inlinePolicyWork;
  }

  private get settings() {
    return this.options.config.accessRequests;
  }

  private async apiOrThrow(
    accountId: string,
    region: string,
    apiId: string,
  ): Promise<ApiRecord> {
    const api = await this.options.inventory.getApi(accountId, region, apiId);
    if (!api) {
      throw new InputError(
        `API ${apiId} (account ${accountId}, ${region}) is not in the inventory: check the id, or wait for discovery to crawl that account and Region`,
      );
    }
    return api;
  }

  /** Moves a request and records the change in the audit. */
  private async move(
    id: string,
    transition: Transition,
    httpRequest?: Request,
  ): Promise<AccessRequest> {
    const before = await this.options.requests.get(id);
    const moved = await this.options.requests.transition(id, transition);
    await this.audit.stateChange({
      request: moved,
      actor: transition.actor,
      action: transition.action,
      fromState: before?.state,
      policyBefore: transition.policyBefore,
      policyAfter: transition.policyAfter,
      message: transition.message,
      httpRequest,
    });
    return moved;
  }

  /**
   * The request with its owners resolved from the catalog now (not frozen at creation:
   * a request made before the catalog had the API, or before ownership moved, is decided
   * by today's owners). Keeps the recorded owners when the catalog does not know the API.
   */
  async withCurrentOwners(id: string): Promise<AccessRequest> {
    const request = await this.options.requests.getOrThrow(id);
    let owners: string[];
    try {
      owners = await this.options.resolveOwners(request.entityRef);
    } catch (error) {
      this.options.logger.warn(
        `Could not resolve the owners of ${request.entityRef}: ${error}; using the recorded ones`,
      );
      return request;
    }
    const same =
      owners.length === request.owners.length &&
      owners.every(o => request.owners.includes(o));
    if (owners.length === 0 || same) return request;
    await this.options.requests.updateOwners(id, owners);
    return { ...request, owners };
  }

  /** Validates and records a new request; throws InputError / ConflictError saying why not. */
  async create(
    input: CreateAccessRequest,
    requester: string,
  ): Promise<AccessRequest> {
    const { requests, inventory, config } = this.options;
    const kind = input.kind ?? 'grant';
    // Refused early here, before the look-ups; the store counts again under the user's lock.
    const open = await requests.countOpen(requester);
    if (open >= this.settings.maxOpenPerUser) {
      throw new TooManyOpenRequestsError(open, this.settings.maxOpenPerUser);
    }
    const api = await this.apiOrThrow(
      input.accountId,
      input.region,
      input.apiId,
    );
    if (api.apiType !== 'REST' || api.endpointType !== 'PRIVATE') {
      throw new InputError(
        `${api.name} is a ${api.endpointType} ${api.apiType} API: VPC access applies to private REST APIs only (HTTP, WebSocket, regional and edge APIs are reached over their public endpoint)`,
      );
    }
    if (!input.vpcId && !input.vpcEndpointId) {
      throw new InputError('Name the caller: a vpcId or a vpcEndpointId');
    }
    const endpoints = await inventory.listVpcEndpoints();
    let endpoint: VpcEndpointRecord | undefined;
    if (input.vpcEndpointId) {
      endpoint = endpoints.find(e => e.vpcEndpointId === input.vpcEndpointId);
      if (!endpoint) {
        throw new InputError(
          `VPC endpoint ${input.vpcEndpointId} is not in the inventory: check the id, or add its account and Region to discovery`,
        );
      }
      if (endpoint.region !== api.region) {
        throw new InputError(
          `VPC endpoint ${endpoint.vpcEndpointId} is in ${endpoint.region} but ${api.name} is in ${api.region}: AWS only lets an endpoint call private APIs of its own Region. Use an execute-api endpoint in ${api.region}.`,
        );
      }
      if (input.vpcId && endpoint.vpcId !== input.vpcId) {
        throw new InputError(
          `VPC endpoint ${endpoint.vpcEndpointId} is in ${endpoint.vpcId}, not in ${input.vpcId}`,
        );
      }
      if (kind === 'grant' && endpoint.state !== 'available') {
        throw new InputError(
          `VPC endpoint ${endpoint.vpcEndpointId} is ${endpoint.state}, not available`,
        );
      }
    }
    const caller: Caller = {
      vpcId: input.vpcEndpointId ? undefined : input.vpcId,
      vpcEndpointId: input.vpcEndpointId,
    };
    const callerName = input.vpcEndpointId ?? input.vpcId;
    const stages = [...new Set(input.stages ?? [])];
    const unknownStages = stages.filter(
      s => !api.stages.some(x => x.stageName === s),
    );
    if (unknownStages.length > 0) {
      throw new InputError(
        `${api.name} has no stage ${unknownStages.join(', ')}; its stages are ${
          api.stages.map(s => s.stageName).join(', ') || 'none'
        }`,
      );
    }
    if (kind === 'revoke') {
      if (stages.length > 0) {
        throw new InputError(
          'A revoke takes the caller out of every stage of the API: leave stages out',
        );
      }
      if (input.associateEndpoint && !input.vpcEndpointId) {
        throw new InputError(
          'Removing a Route 53 alias association needs the VPC endpoint: give vpcEndpointId',
        );
      }
      const associated =
        !!input.vpcEndpointId &&
        api.vpcEndpointIds.includes(input.vpcEndpointId);
      if (input.associateEndpoint && !associated) {
        throw new InputError(
          `${callerName} is not associated with ${api.name}: there is no Route 53 alias association to remove. Leave associateEndpoint out to revoke its access in the resource policy.`,
        );
      }
      const allowedSomewhere = (
        await callerAllowedOn(
          this.policyWork,
          api,
          api.stages.map(s => [s.stageName]),
          caller,
          endpoints,
        )
      ).some(Boolean);
      if (!allowedSomewhere && !input.associateEndpoint) {
        throw new InputError(
          `${callerName} cannot call ${api.name} already: the resource policy does not allow it on any stage. No request was made.`,
        );
      }
    } else {
      if (
        !input.vpcEndpointId &&
        input.vpcId &&
        callerPaths(api, caller, endpoints).length === 0
      ) {
        // A VPC of another Region cannot get an endpoint that calls this API: say so.
        const vpc = (await inventory.listVpcs()).find(
          v => v.vpcId === input.vpcId,
        );
        const vpcRegion =
          vpc?.region ?? endpoints.find(e => e.vpcId === input.vpcId)?.region;
        if (vpcRegion && vpcRegion !== api.region) {
          throw new InputError(
            wrongRegionGuidance({ vpcId: input.vpcId, region: vpcRegion }, api),
          );
        }
        throw new InputError(
          `VPC ${input.vpcId} has no execute-api VPC endpoint in ${
            api.region
          } that discovery knows of, so it cannot call ${
            api.name
          }. ${createEndpointHint(input.vpcId, api.region)}`,
        );
      }
      if (input.associateEndpoint && !input.vpcEndpointId) {
        throw new InputError(
          'Associating for the Route 53 alias needs the VPC endpoint: give vpcEndpointId',
        );
      }
      const alreadyAssociated =
        !input.associateEndpoint ||
        api.vpcEndpointIds.includes(input.vpcEndpointId!);
      if (
        alreadyAssociated &&
        (
          await callerAllowedOn(
            this.policyWork,
            api,
            [stages],
            caller,
            endpoints,
          )
        )[0]
      ) {
        throw new InputError(
          `${callerName} may already call ${api.name}${
            stages.length ? ` (${stages.join(', ')})` : ''
          }: the resource policy allows it${
            input.associateEndpoint ? ' and the endpoint is associated' : ''
          }. No request was made.`,
        );
      }
    }

    const entityRef = stringifyEntityRef({
      kind: 'API',
      name: apiEntityName(api),
    });
    let owners: string[] = [];
    try {
      owners = await this.options.resolveOwners(entityRef);
    } catch (error) {
      // The catalog may not have the entity yet: owners are resolved again when they act.
      this.options.logger.warn(
        `Could not resolve the owners of ${entityRef}: ${error}`,
      );
    }
    const request = await requests.create(
      {
        kind,
        entityRef,
        accountId: api.accountId,
        region: api.region,
        apiId: api.apiId,
        apiName: api.name,
        stages,
        vpcId: caller.vpcId ?? endpoint?.vpcId,
        vpcEndpointId: input.vpcEndpointId,
        associateEndpoint: !!input.associateEndpoint,
        justification: input.justification,
        requester,
        owners,
        applyMode: applyModeFor(config, api.accountId),
      },
      requester,
      { maxOpen: this.settings.maxOpenPerUser },
    );
    await this.audit.stateChange({
      request,
      actor: requester,
      action: 'create',
      message: request.justification,
    });
    await this.options.notifier.requestCreated(request);
    return request;
  }

  /** The change an approval would make to the current (last crawled) policy. */
  async preview(id: string): Promise<ProposedChange> {
    const request = await this.options.requests.getOrThrow(id);
    const api = await this.apiOrThrow(
      request.accountId,
      request.region,
      request.apiId,
    );
    return this.proposedChange(request, api);
  }

  private async proposedChange(
    request: AccessRequest,
    api: ApiRecord,
  ): Promise<ProposedChange> {
    const change = await changeFor(
      this.policyWork,
      request,
      api.policy,
      api.executeApiArn,
    );
    const policy = change.policyJson ?? '';
    return {
      basePolicy: api.policy,
      policy,
      summary: change.summary,
      changes: change.changes,
      notes: [...change.notes, ...associationNotes(request, api)],
      diff: change.diff,
      terraform: policy ? terraformPolicySnippet(api.apiId, policy) : '',
      cloudFormation: policy
        ? cloudFormationPolicySnippet(api.apiId, policy)
        : '',
    };
  }

  /** Refuses an owner's decision on their own request unless the configuration allows it. */
  private checkNotSelf(request: AccessRequest, actor: string, what: string) {
    if (!this.settings.allowSelfApproval && request.requester === actor) {
      throw new NotAllowedError(
        `You made access request ${request.id}, so another owner of ${request.apiName} must ${what} it (privateApi.accessRequests.allowSelfApproval is off)`,
      );
    }
  }

  async approve(
    id: string,
    actor: string,
    comment?: string,
    httpRequest?: Request,
  ): Promise<AccessRequest> {
    const request = await this.options.requests.getOrThrow(id);
    this.checkNotSelf(request, actor, 'approve');
    const api = await this.apiOrThrow(
      request.accountId,
      request.region,
      request.apiId,
    );
    const proposedChange = await this.proposedChange(request, api);
    const approved = await this.move(
      id,
      {
        action: 'approve',
        actor,
        message:
          comment ??
          (request.applyMode === 'handoff'
            ? 'Approved: apply the change in the API’s IaC; the next discovery verifies it.'
            : 'Approved: ready to apply.'),
        policyBefore: api.policy,
        policyAfter: proposedChange.policy,
        proposedChange,
      },
      httpRequest,
    );
    await this.options.notifier.decided(approved, 'approved');
    return approved;
  }

  async reject(
    id: string,
    actor: string,
    reason: string,
    httpRequest?: Request,
  ): Promise<AccessRequest> {
    const rejected = await this.move(
      id,
      { action: 'reject', actor, message: reason },
      httpRequest,
    );
    await this.options.notifier.decided(rejected, 'rejected');
    return rejected;
  }

  async cancel(
    id: string,
    actor: string,
    httpRequest?: Request,
  ): Promise<AccessRequest> {
    return this.move(
      id,
      { action: 'cancel', actor, message: 'Cancelled by the requester' },
      httpRequest,
    );
  }

  private leaseExpiry() {
    return new Date(Date.now() + this.settings.leaseSeconds * 1000);
  }

  /**
   * Applies an approved request in direct mode, as the only writer of its API (across
   * replicas), under a lease that recovery settles if this process dies. The request ends
   * applied, failed, needs-attention or pending (review).
   */
  async apply(
    id: string,
    actor: string,
    httpRequest?: Request,
  ): Promise<AccessRequest> {
    const { requests, clients, locks } = this.options;
    const request = await requests.getOrThrow(id);
    if (request.applyMode !== 'direct') {
      throw new InputError(
        `Account ${request.accountId} hands changes off to IaC (privateApi.accessRequests): apply the proposed policy there; the next discovery verifies it`,
      );
    }
    if (!clients) {
      throw new InputError(
        'Discovery is not configured, so there are no AWS credentials to apply with',
      );
    }
    this.checkNotSelf(request, actor, 'apply');
    const holder = `${actor}#${randomUUID()}`;
    const applying = await this.move(
      id,
      {
        action: 'apply',
        actor,
        message: 'Applying to AWS',
        lease: { holder, expiresAt: this.leaseExpiry() },
        attention: null,
      },
      httpRequest,
    );

    let outcome: ApplyOutcome;
    try {
      outcome = await locks.withLock(
        apiLockKey(request.accountId, request.region, request.apiId),
        holder,
        lock =>
          clients.withScope(
            request.accountId,
            request.region,
            { assumeRoleName: this.settings.applyRoleName },
            scopeClients =>
              applyAccessRequest(scopeClients, applying, lock, this.policyWork),
          ),
        async () => {
          await requests.renewLease(id, holder, this.leaseExpiry());
        },
      );
    } catch (error) {
      // Waiting for the lock, or reading the API, failed before anything changed.
      const summary =
        error instanceof ConflictError
          ? { code: 'Conflict', message: (error as Error).message }
          : summarizeAwsError(error);
      this.options.logger.warn(
        `Applying access request ${id} failed before any change: ${
          describeAwsError(error).message
        }`,
      );
      outcome = {
        outcome: 'failed',
        code: summary.code,
        message: `${summary.message} Nothing was changed in AWS.`,
        deployments: [],
        detail: describeAwsError(error).message,
      };
    }
    const updated = await this.settleApply(
      id,
      holder,
      actor,
      outcome,
      httpRequest,
    );
    await this.options.notifier.decided(updated, updated.state);
    return updated;
  }

  private async settleApply(
    id: string,
    holder: string,
    actor: string,
    result: ApplyOutcome,
    httpRequest?: Request,
  ): Promise<AccessRequest> {
    const common = { actor, leaseHolder: holder };
    try {
      if (result.outcome === 'applied') {
        return await this.move(
          id,
          {
            ...common,
            action: 'apply-succeeded',
            message: result.message,
            policyBefore: result.policyBefore,
            policyAfter: result.policyAfter,
            deployments: result.deployments,
            failure: null,
            attention: null,
          },
          httpRequest,
        );
      }
      if (result.outcome === 'review-needed') {
        return await this.move(
          id,
          {
            ...common,
            action: 'review-needed',
            message: result.message,
            policyBefore: result.policyBefore,
            proposedChange: null,
          },
          httpRequest,
        );
      }
      this.options.logger.warn(
        `Access request ${id}: ${result.outcome} (${result.detail})`,
      );
      return await this.move(
        id,
        {
          ...common,
          action:
            result.outcome === 'needs-attention'
              ? 'apply-needs-attention'
              : 'apply-failed',
          message: result.message,
          policyBefore: result.policyBefore,
          policyAfter: result.policyAfter,
          deployments: result.deployments,
          failure: { code: result.code, message: result.message },
          attention:
            result.outcome === 'needs-attention'
              ? { message: result.message }
              : null,
        },
        httpRequest,
      );
    } catch (error) {
      // The lease expired meanwhile and recovery settled the request from AWS.
      if (error instanceof ConflictError) {
        return this.options.requests.getOrThrow(id);
      }
      throw error;
    }
  }

  /**
   * Settles applies whose lease expired (their process died, or lost the database for
   * longer than the lease): under the API's lock, reads the policy from AWS. When it holds
   * the change, redeploys the request's stages and marks it applied; when not, puts it
   * back to approved, to be applied again. Runs on a schedule; safe on every replica.
   */
  async recoverExpiredApplies(): Promise<AccessRequest[]> {
    const { requests, clients, locks, logger } = this.options;
    if (!clients) return [];
    const expired = await requests.listExpiredLeases();
    const settled: AccessRequest[] = [];
    for (const stale of expired) {
      const holder = `${RECOVERY_ACTOR}#${randomUUID()}`;
      try {
        const done = await locks.withLock(
          apiLockKey(stale.accountId, stale.region, stale.apiId),
          holder,
          async lock => {
            // Another replica may have settled it while this one waited.
            const [current] = (await requests.listExpiredLeases()).filter(
              r => r.id === stale.id,
            );
            if (!current) return undefined;
            const deadHolder = (await requests.leaseHolderOf(current.id)) ?? '';
            return clients.withScope(
              current.accountId,
              current.region,
              { assumeRoleName: this.settings.applyRoleName },
              async scopeClients => {
                const apiArn = apiArnOf(scopeClients.partition, current);
                const { policy } = await readPolicy(
                  scopeClients.apigateway,
                  current.apiId,
                );
                const since = `The apply's process stopped before finishing (its lease expired).`;
                if (
                  !(await holdsChange(this.policyWork, current, policy, apiArn))
                ) {
                  return this.move(current.id, {
                    action: 'recover-not-applied',
                    actor: RECOVERY_ACTOR,
                    leaseHolder: deadHolder,
                    message: `${since} AWS does not hold the change, so nothing of it is live: apply again.`,
                    policyBefore: policy,
                  });
                }
                // The policy holds the change; the stages may not have been deployed yet.
                const deployments: StageDeploymentResult[] = [];
                for (const stage of await stagesOf(
                  scopeClients.apigateway,
                  current,
                )) {
                  lock.assertHeld();
                  try {
                    const deployment = await scopeClients.apigateway.send(
                      new CreateDeploymentCommand({
                        restApiId: current.apiId,
                        stageName: stage,
                        description: `Access request ${current.id}: recovery`,
                      }),
                    );
                    deployments.push({
                      stage,
                      status: 'deployed',
                      live: true,
                      deploymentId: deployment.id,
                      at: new Date().toISOString(),
                    });
                  } catch (error) {
                    deployments.push({
                      stage,
                      status: 'failed',
                      live: false,
                      error: summarizeAwsError(error),
                      at: new Date().toISOString(),
                    });
                  }
                }
                const failed = deployments.filter(d => !d.live);
                if (failed.length === 0) {
                  return this.move(current.id, {
                    action: 'recover-applied',
                    actor: RECOVERY_ACTOR,
                    leaseHolder: deadHolder,
                    message: `${since} AWS holds the change; recovery redeployed ${deployments
                      .map(d => d.stage)
                      .join(', ')}.`,
                    policyAfter: policy,
                    deployments,
                    failure: null,
                  });
                }
                const message = `${since} AWS holds the change in the policy, but redeploying ${failed
                  .map(d => d.stage)
                  .join(
                    ', ',
                  )} failed, so it may not be live there. What to do: retry the apply.`;
                return this.move(current.id, {
                  action: 'apply-needs-attention',
                  actor: RECOVERY_ACTOR,
                  leaseHolder: deadHolder,
                  message,
                  policyAfter: policy,
                  deployments,
                  attention: { message },
                });
              },
            );
          },
        );
        if (done) {
          settled.push(done);
          logger.info(
            `Recovered access request ${done.id} after its apply stopped: now ${done.state}`,
          );
          await this.options.notifier.decided(done, done.state);
        }
      } catch (error) {
        logger.warn(
          `Could not recover access request ${stale.id} yet: ${error}`,
        );
      }
    }
    return settled;
  }

  /** Verify now: re-crawls just the request's API, then checks the request against it. */
  async verifyNow(id: string, actor: string): Promise<AccessRequest> {
    const request = await this.options.requests.getOrThrow(id);
    if (!this.options.crawlApi) {
      throw new InputError(
        'Discovery is not configured, so the API cannot be re-read from AWS',
      );
    }
    const startedAt = new Date();
    await this.options.crawlApi(
      request.accountId,
      request.region,
      request.apiId,
    );
    await this.verifyRequests([request], startedAt, actor);
    return this.options.requests.getOrThrow(id);
  }

  /**
   * After a crawl of a scope: requests whose change discovery now sees in place are
   * verified; an applied one whose change is not there (read after it was applied) fails.
   */
  async verifyScope(
    accountId: string,
    region: string,
    crawlStartedAt: Date,
  ): Promise<AccessRequest[]> {
    const candidates = await this.options.requests.list({
      accountId,
      region,
      states: ['applied', 'approved', 'needs-attention'],
    });
    return this.verifyRequests(candidates, crawlStartedAt, DISCOVERY_ACTOR);
  }

  private async verifyRequests(
    candidates: AccessRequest[],
    crawlStartedAt: Date,
    actor: string,
  ): Promise<AccessRequest[]> {
    const { requests, inventory } = this.options;
    if (candidates.length === 0) return [];
    const endpoints = await inventory.listVpcEndpoints();
    const settled: AccessRequest[] = [];
    for (const request of candidates) {
      const api = await inventory.getApi(
        request.accountId,
        request.region,
        request.apiId,
      );
      if (!api) continue;
      const caller = request.vpcEndpointId ?? request.vpcId;
      const at = new Date().toISOString();
      const inPlace = await changeInPlace(
        this.policyWork,
        request,
        api,
        endpoints,
      );
      try {
        if (
          inPlace &&
          ['applied', 'approved', 'needs-attention'].includes(request.state)
        ) {
          const message =
            request.kind === 'revoke'
              ? `Discovery saw ${caller} kept out by the resource policy of ${
                  api.name
                }${
                  request.associateEndpoint ? ' and no longer associated' : ''
                }.`
              : `Discovery saw ${caller} allowed by the resource policy of ${
                  api.name
                }${
                  request.stages.length
                    ? ` on ${request.stages.join(', ')}`
                    : ''
                }${
                  request.associateEndpoint
                    ? ' and the endpoint associated'
                    : ''
                }.`;
          const verification: AccessRequestVerification = {
            at,
            outcome: 'verified',
            message,
          };
          const done = await this.move(request.id, {
            action: 'verify',
            actor,
            message,
            verification,
            attention: null,
            failure: null,
          });
          settled.push(done);
          await this.options.notifier.decided(done, 'verified');
          continue;
        }
        const appliedAt = Date.parse(request.updatedAt);
        if (
          !inPlace &&
          request.state === 'applied' &&
          crawlStartedAt.getTime() > appliedAt
        ) {
          const message =
            request.kind === 'revoke'
              ? `Discovery read ${api.name} after the revoke was applied, and ${
                  request.associateEndpoint &&
                  api.vpcEndpointIds.includes(request.vpcEndpointId ?? '')
                    ? `${caller} is still associated with it, or its policy still lets it in`
                    : `its policy still lets ${caller} in`
                }: someone may have changed it since. Apply again, or check the API in the AWS console.`
              : `Discovery read the policy of ${
                  api.name
                } after the change was applied, and it does not allow ${caller}${
                  request.stages.length
                    ? ` on ${request.stages.join(', ')}`
                    : ''
                }${
                  request.associateEndpoint &&
                  !api.vpcEndpointIds.includes(request.vpcEndpointId!)
                    ? ' (or the endpoint is not associated)'
                    : ''
                }: someone may have changed the policy since. Apply again, or check the policy in the AWS console.`;
          const done = await this.move(request.id, {
            action: 'verify-failed',
            actor,
            message,
            failure: { code: 'NotVerified', message },
            verification: { at, outcome: 'failed', message },
          });
          settled.push(done);
          await this.options.notifier.decided(done, 'not verified');
          continue;
        }
        await requests.recordVerification(request.id, {
          at,
          outcome: 'not-yet',
          message: `Discovery does not see the change in the policy of ${
            api.name
          } yet${
            request.state === 'approved' && request.applyMode === 'handoff'
              ? ': apply it in the API’s IaC'
              : ''
          }.`,
        });
      } catch (error) {
        if (
          !(error instanceof ConflictError) &&
          !(error instanceof NotFoundError)
        )
          throw error;
      }
    }
    return settled;
  }
}
