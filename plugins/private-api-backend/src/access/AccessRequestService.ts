import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  AccessRequest,
  apiEntityName,
  ApiRecord,
  cloudFormationPolicySnippet,
  CreateAccessRequest,
  grantVpcAccess,
  ProposedChange,
  terraformPolicySnippet,
  VpcEndpointRecord,
  wrongRegionGuidance,
} from '@private-api-catalog/plugin-private-api-common';
import type { AwsClientFactory } from '../aws/clients';
import { applyModeFor, PrivateApiConfig } from '../config/config';
import type { InventoryStore } from '../inventory/InventoryStore';
import { AccessRequestStore } from './AccessRequestStore';
import { callerPaths, isCallerAllowed } from './callerAccess';
import { applyAccessRequest } from './DirectApplier';
import { AccessRequestNotifier } from './notifier';

/** The actor of transitions that discovery makes. */
export const DISCOVERY_ACTOR = 'discovery';

function createEndpointHint(vpcId: string, region: string): string {
  return (
    `Create an interface endpoint for API Gateway in that VPC first, e.g. ` +
    `aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id ${vpcId} ` +
    `--service-name com.amazonaws.${region}.execute-api --subnet-ids <subnets> ` +
    `--security-group-ids <sg allowing TCP 443 from your callers> --private-dns-enabled --region ${region}`
  );
}

/**
 * The access-request workflow: validation, the state machine's transitions with their
 * side effects (proposed changes, applying to AWS, notifications), and verification by
 * discovery. Permission checks happen in the router, before these calls.
 */
export class AccessRequestService {
  constructor(
    private readonly options: {
      requests: AccessRequestStore;
      inventory: InventoryStore;
      config: PrivateApiConfig;
      /** Undefined when discovery is not configured: nothing can be applied then. */
      clients?: AwsClientFactory;
      notifier: AccessRequestNotifier;
      logger: LoggerService;
      /** The owners (entity refs) of an API entity, from the catalog. */
      resolveOwners: (entityRef: string) => Promise<string[]>;
    },
  ) {}

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

  /** Validates and records a new request; throws InputError / ConflictError saying why not. */
  async create(
    input: CreateAccessRequest,
    requester: string,
  ): Promise<AccessRequest> {
    const { requests, inventory, config } = this.options;
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
      if (endpoint.state !== 'available') {
        throw new InputError(
          `VPC endpoint ${endpoint.vpcEndpointId} is ${endpoint.state}, not available`,
        );
      }
    }
    const caller = {
      vpcId: input.vpcEndpointId ? undefined : input.vpcId,
      vpcEndpointId: input.vpcEndpointId,
    };
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
    const stages = input.stages ?? [];
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
    const alreadyAssociated =
      !input.associateEndpoint ||
      api.vpcEndpointIds.includes(input.vpcEndpointId!);
    if (alreadyAssociated && isCallerAllowed(api, stages, caller, endpoints)) {
      throw new InputError(
        `${input.vpcEndpointId ?? input.vpcId} may already call ${api.name}${
          stages.length ? ` (${stages.join(', ')})` : ''
        }: the resource policy allows it${
          input.associateEndpoint ? ' and the endpoint is associated' : ''
        }. No request was made.`,
      );
    }
    const duplicate = await requests.findOpenDuplicate({
      ...input,
      vpcId: caller.vpcId,
    });
    if (duplicate) {
      throw new ConflictError(
        `An open request (${duplicate.id}, ${
          duplicate.state
        }) already asks for ${input.vpcEndpointId ?? input.vpcId} to call ${
          api.name
        }`,
      );
    }

    const entityRef = stringifyEntityRef({
      kind: 'API',
      name: apiEntityName(api),
    });
    const request = await requests.create(
      {
        entityRef,
        accountId: api.accountId,
        region: api.region,
        apiId: api.apiId,
        apiName: api.name,
        stages,
        vpcId: caller.vpcId ?? endpoint?.vpcId,
        vpcEndpointId: input.vpcEndpointId,
        associateEndpoint: input.associateEndpoint ?? false,
        justification: input.justification,
        requester,
        owners: await this.options.resolveOwners(entityRef),
        applyMode: applyModeFor(config, api.accountId),
      },
      requester,
    );
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

  private proposedChange(
    request: AccessRequest,
    api: ApiRecord,
  ): ProposedChange {
    const change = grantVpcAccess(
      api.policy,
      {
        vpcId: request.vpcEndpointId ? undefined : request.vpcId,
        vpceId: request.vpcEndpointId,
      },
      { apiArn: api.executeApiArn },
    );
    const policy = change.policyJson ?? '';
    return {
      basePolicy: api.policy,
      policy,
      summary: change.summary,
      changes: change.changes,
      notes: [
        ...change.notes,
        ...(request.associateEndpoint &&
        !api.vpcEndpointIds.includes(request.vpcEndpointId!)
          ? [
              `Also associates ${request.vpcEndpointId} with the API, for its Route 53 alias name.`,
            ]
          : []),
      ],
      diff: change.diff,
      terraform: policy ? terraformPolicySnippet(api.apiId, policy) : '',
      cloudFormation: policy
        ? cloudFormationPolicySnippet(api.apiId, policy)
        : '',
    };
  }

  async approve(
    id: string,
    actor: string,
    comment?: string,
  ): Promise<AccessRequest> {
    const request = await this.options.requests.getOrThrow(id);
    const api = await this.apiOrThrow(
      request.accountId,
      request.region,
      request.apiId,
    );
    const proposedChange = this.proposedChange(request, api);
    const approved = await this.options.requests.transition(id, {
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
    });
    await this.options.notifier.decided(approved, 'approved');
    return approved;
  }

  async reject(
    id: string,
    actor: string,
    reason: string,
  ): Promise<AccessRequest> {
    const rejected = await this.options.requests.transition(id, {
      action: 'reject',
      actor,
      message: reason,
    });
    await this.options.notifier.decided(rejected, 'rejected');
    return rejected;
  }

  async cancel(id: string, actor: string): Promise<AccessRequest> {
    return this.options.requests.transition(id, {
      action: 'cancel',
      actor,
      message: 'Cancelled by the requester',
    });
  }

  /** Applies an approved request in direct mode; the request ends applied, failed or pending (review). */
  async apply(id: string, actor: string): Promise<AccessRequest> {
    const { requests, clients, config } = this.options;
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
    await requests.transition(id, {
      action: 'apply',
      actor,
      message: 'Applying to AWS',
    });
    let result;
    try {
      const scopeClients = await clients.forScope(
        request.accountId,
        request.region,
        {
          assumeRoleName: config.accessRequests.applyRoleName,
        },
      );
      result = await applyAccessRequest(scopeClients, request);
    } catch (error) {
      // Reading the API failed before anything changed.
      const e = error as Error;
      result = {
        outcome: 'failed' as const,
        code: e.name ?? 'Error',
        message: `${e.message} Nothing was changed in AWS.`,
      };
    }
    let updated: AccessRequest;
    if (result.outcome === 'applied') {
      updated = await requests.transition(id, {
        action: 'apply-succeeded',
        actor,
        message: result.message,
        policyBefore: result.policyBefore,
        policyAfter: result.policyAfter,
        failure: null,
      });
    } else if (result.outcome === 'review-needed') {
      updated = await requests.transition(id, {
        action: 'review-needed',
        actor,
        message: result.message,
        policyBefore: result.policyBefore,
        proposedChange: null,
      });
    } else {
      updated = await requests.transition(id, {
        action: 'apply-failed',
        actor,
        message: result.message,
        policyBefore: result.policyBefore,
        policyAfter: result.policyAfter,
        failure: { code: result.code, message: result.message },
      });
    }
    await this.options.notifier.decided(updated, updated.state);
    return updated;
  }

  /**
   * After a crawl of a scope: requests whose caller the policy now allows (and whose
   * endpoint is associated, when asked) are verified.
   */
  async verifyScope(
    accountId: string,
    region: string,
  ): Promise<AccessRequest[]> {
    const { requests, inventory } = this.options;
    const candidates = await requests.list({
      accountId,
      region,
      states: ['applied', 'approved'],
    });
    if (candidates.length === 0) return [];
    const endpoints = await inventory.listVpcEndpoints();
    const verified: AccessRequest[] = [];
    for (const request of candidates) {
      const api = await inventory.getApi(accountId, region, request.apiId);
      if (!api) continue;
      const caller = {
        vpcId: request.vpcEndpointId ? undefined : request.vpcId,
        vpcEndpointId: request.vpcEndpointId,
      };
      const associated =
        !request.associateEndpoint ||
        api.vpcEndpointIds.includes(request.vpcEndpointId!);
      if (
        !associated ||
        !isCallerAllowed(api, request.stages, caller, endpoints)
      )
        continue;
      try {
        const done = await requests.transition(request.id, {
          action: 'verify',
          actor: DISCOVERY_ACTOR,
          message: `Discovery saw ${
            request.vpcEndpointId ?? request.vpcId
          } allowed by the resource policy of ${api.name}${
            request.associateEndpoint ? ' and the endpoint associated' : ''
          }.`,
        });
        verified.push(done);
        await this.options.notifier.decided(done, 'verified');
      } catch (error) {
        if (
          !(error instanceof ConflictError) &&
          !(error instanceof NotFoundError)
        )
          throw error;
      }
    }
    return verified;
  }
}
