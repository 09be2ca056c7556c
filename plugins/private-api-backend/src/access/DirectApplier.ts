import {
  APIGatewayClient,
  CreateDeploymentCommand,
  GetRestApiCommand,
  GetStagesCommand,
  PatchOperation,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import {
  AccessRequest,
  parseResourcePolicy,
  PolicyChange,
  serializePolicy,
  StageDeploymentResult,
} from '@private-api-catalog/plugin-private-api-common';
import type { ScopeClients } from '../aws/clients';
import { describeAwsError } from '../aws/errors';
import type { PolicyWork } from '../policyWork/PolicyWork';
import type { HeldLock } from './ApiLock';
import { summarizeAwsError } from './awsSummary';

export type ApplyOutcome =
  | {
      outcome: 'applied';
      policyBefore?: string;
      policyAfter?: string;
      message: string;
      deployments: StageDeploymentResult[];
    }
  | { outcome: 'review-needed'; policyBefore?: string; message: string }
  | {
      outcome: 'failed' | 'needs-attention';
      code: string;
      message: string;
      policyBefore?: string;
      /** The policy AWS holds after the attempt (and its rollback), as read back. */
      policyAfter?: string;
      deployments: StageDeploymentResult[];
      /** For logs and the audit only: the AWS error as AWS said it. */
      detail: string;
    };

/** The policy as comparable JSON text, whatever escaping AWS returned it with. */
export function normalizePolicy(
  policy: string | undefined,
): string | undefined {
  if (!policy || !policy.trim()) return undefined;
  return serializePolicy(parseResourcePolicy(policy));
}

/**
 * The change a request makes to a policy: its grant (limited to its stages) or revoke,
 * computed by the policy work (a worker thread: a large policy takes up to a few hundred
 * milliseconds).
 */
export function changeFor(
  policyWork: PolicyWork,
  request: AccessRequest,
  policy: string | undefined,
  apiArn: string,
): Promise<PolicyChange> {
  const { kind, vpcId, vpcEndpointId, stages } = request;
  return policyWork.run(
    'requestChange',
    { kind, vpcId, vpcEndpointId, stages },
    policy,
    apiArn,
  );
}

export function apiArnOf(partition: string, request: AccessRequest) {
  return `arn:${partition}:execute-api:${request.region}:${request.accountId}:${request.apiId}`;
}

export async function readPolicy(
  apigateway: APIGatewayClient,
  restApiId: string,
) {
  const api = await apigateway.send(new GetRestApiCommand({ restApiId }));
  return { api, policy: normalizePolicy(api.policy) };
}

/** The stages a request deploys: its own, or every stage of the API. */
export async function stagesOf(
  apigateway: APIGatewayClient,
  request: AccessRequest,
): Promise<string[]> {
  if (request.stages.length > 0) return request.stages;
  const { item } = await apigateway.send(
    new GetStagesCommand({ restApiId: request.apiId }),
  );
  return (item ?? []).map(s => s.stageName!);
}

/** The change is in the policy: applying it again would change nothing. */
export async function holdsChange(
  policyWork: PolicyWork,
  request: AccessRequest,
  policy: string | undefined,
  apiArn: string,
): Promise<boolean> {
  return !(await changeFor(policyWork, request, policy, apiArn)).changed;
}

function sameEdits(a: string[], b: string[]) {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/**
 * Applies an approved request to AWS. The caller holds the API's lock, so no other
 * request's change runs meanwhile; people in the console or IaC still may edit. Steps:
 *
 * 1. read the policy, compute the request's change on it; when the edits differ from the
 *    ones the owners approved (the policy was restructured), stop for a new review;
 * 2. write it, read it back and check AWS kept it (the audit records what AWS returned);
 * 3. associate the endpoint (grant) or remove its association (revoke) when asked; deploy
 *    each of the request's stages (a policy change takes effect in a stage only at its next
 *    deployment), recording each result;
 * 4. on a failure, undo exactly this change on the policy as it is then (others' edits
 *    since are kept), undo the association change it made, and redeploy the stages it
 *    deployed.
 *    When the undo cannot be done cleanly, or a stage still serves the change, the outcome
 *    is needs-attention with what is live where.
 */
export async function applyAccessRequest(
  clients: ScopeClients,
  request: AccessRequest,
  lock: HeldLock,
  policyWork: PolicyWork,
): Promise<ApplyOutcome> {
  const { apigateway } = clients;
  const restApiId = request.apiId;
  const apiArn = apiArnOf(clients.partition, request);
  const { api, policy: current } = await readPolicy(apigateway, restApiId);
  const change = await changeFor(policyWork, request, current, apiArn);
  const approved = request.proposedChange;
  if (
    change.changed &&
    approved &&
    !sameEdits(change.changes, approved.changes)
  ) {
    return {
      outcome: 'review-needed',
      policyBefore: current,
      message: `The resource policy changed since the request was approved, and the change to make is now different: ${change.summary} The owners must review it against the current policy and approve again.`,
    };
  }

  const what = request.kind === 'revoke' ? 'revoke' : 'allow';
  const caller = request.vpcEndpointId ?? request.vpcId;
  const associated = api.endpointConfiguration?.vpcEndpointIds ?? [];
  const endpointId = request.associateEndpoint
    ? request.vpcEndpointId
    : undefined;
  // The association change this apply makes, if any: the opposite op undoes it.
  const association: PatchOperation | undefined =
    endpointId &&
    (request.kind === 'revoke') === associated.includes(endpointId)
      ? {
          op: request.kind === 'revoke' ? 'remove' : 'add',
          path: '/endpointConfiguration/vpcEndpointIds',
          value: endpointId,
        }
      : undefined;
  const patch = async (patchOperations: PatchOperation[]) => {
    lock.assertHeld();
    await apigateway.send(
      new UpdateRestApiCommand({ restApiId, patchOperations }),
    );
  };
  const deploy = async (stageName: string, description: string) => {
    lock.assertHeld();
    return apigateway.send(
      new CreateDeploymentCommand({ restApiId, stageName, description }),
    );
  };

  let written: string | undefined;
  let policyAfter = current;
  let associationDone = false;
  const deployments: StageDeploymentResult[] = [];
  try {
    if (change.changed) {
      await patch([
        { op: 'replace', path: '/policy', value: change.policyJson ?? '' },
      ]);
      written = normalizePolicy(change.policyJson) ?? '';
      policyAfter = (await readPolicy(apigateway, restApiId)).policy;
      if (!(await holdsChange(policyWork, request, policyAfter, apiArn))) {
        throw Object.assign(
          new Error(
            'The policy read back from AWS does not hold the change: someone replaced it at the same moment.',
          ),
          { name: 'PolicyOverwritten' },
        );
      }
    }
    if (association) {
      await patch([association]);
      associationDone = true;
    }
    const stages = await stagesOf(apigateway, request);
    deployments.push(
      ...stages.map(stage => ({
        stage,
        status: 'not-attempted' as const,
        live: false,
      })),
    );
    for (const result of deployments) {
      try {
        const deployment = await deploy(
          result.stage,
          `Access request ${request.id}: ${what} ${caller}`,
        );
        Object.assign(result, {
          status: 'deployed',
          live: true,
          deploymentId: deployment.id,
          at: new Date().toISOString(),
        });
      } catch (error) {
        Object.assign(result, {
          status: 'failed',
          error: summarizeAwsError(error),
          at: new Date().toISOString(),
        });
        throw error;
      }
    }
    return {
      outcome: 'applied',
      policyBefore: current,
      policyAfter,
      deployments,
      message: [
        change.changed
          ? change.summary
          : `The policy already ${
              request.kind === 'revoke' ? 'kept out' : 'allowed'
            } ${caller}; nothing to change in it.`,
        associationDone && association?.op === 'add'
          ? `Associated ${endpointId} (its Route 53 alias resolves within minutes).`
          : '',
        associationDone && association?.op === 'remove'
          ? `Removed the association of ${endpointId} (its Route 53 alias stops resolving).`
          : '',
        `Deployed ${stages.join(', ') || 'no stage'}.`,
      ]
        .filter(Boolean)
        .join(' '),
    };
  } catch (error) {
    const info = describeAwsError(error);
    const summary = summarizeAwsError(error);
    const rollback = await rollBack({
      request,
      before: current,
      // What this apply sent, not what was read back: an edit made in between is not ours.
      written,
      association: associationDone ? association : undefined,
      deployments,
      patch,
      deploy,
      apigateway,
      policyWork,
    });
    const live = deployments.filter(d => d.live).map(d => d.stage);
    const notLive = deployments.filter(d => !d.live).map(d => d.stage);
    const attention = live.length > 0 || rollback.problems.length > 0;
    const happened = `${summary.code}: ${summary.message}`;
    const message = attention
      ? [
          `The apply failed (${happened}) and could not be rolled back completely.`,
          live.length
            ? `The change is live in ${live.join(', ')}${
                notLive.length ? `, not in ${notLive.join(', ')}` : ''
              }.`
            : '',
          ...rollback.problems.map(p => `${p}.`),
          `What to do: retry the apply to complete the change in every stage, or revoke ${caller} if it should not have access; check the API's resource policy and stages in the AWS console.`,
        ]
          .filter(Boolean)
          .join(' ')
      : `${happened}. ${rollback.summary}`;
    return {
      outcome: attention ? 'needs-attention' : 'failed',
      code: summary.code,
      message,
      policyBefore: current,
      policyAfter: rollback.policyAfter ?? policyAfter,
      deployments,
      detail: `${info.code}: ${info.message}`,
    };
  }
}

/**
 * Undoes what this apply did, newest first, under the same lock: the policy edit as an
 * inverse change on the policy as it is now, the association change, then the deployments.
 */
async function rollBack(args: {
  request: AccessRequest;
  before: string | undefined;
  /** The policy this apply wrote; undefined when nothing was written. */
  written: string | undefined;
  /** The association change this apply made, undone by the opposite op. */
  association?: PatchOperation;
  deployments: StageDeploymentResult[];
  patch: (ops: PatchOperation[]) => Promise<void>;
  deploy: (stage: string, description: string) => Promise<{ id?: string }>;
  apigateway: APIGatewayClient;
  policyWork: PolicyWork;
}): Promise<{ summary: string; problems: string[]; policyAfter?: string }> {
  const { request, deployments } = args;
  const problems: string[] = [];
  let policyAfter: string | undefined;
  let policyUndone = args.written === undefined;
  if (args.written !== undefined) {
    try {
      const { policy: now } = await readPolicy(args.apigateway, request.apiId);
      const undo = await args.policyWork.run(
        'undoPolicyChange',
        now,
        args.before,
        args.written,
      );
      if (undo.changed) {
        await args.patch([
          { op: 'replace', path: '/policy', value: undo.policyJson ?? '' },
        ]);
      }
      policyAfter = (await readPolicy(args.apigateway, request.apiId)).policy;
      if (undo.clean) policyUndone = true;
      else
        problems.push(
          `The policy was edited meanwhile, and part of the change could not be taken out: ${undo.conflicts.join(
            '; ',
          )}`,
        );
    } catch (error) {
      const e = summarizeAwsError(error);
      problems.push(
        `The change could not be taken out of the policy (${e.code}): the policy still holds it`,
      );
    }
  }
  if (args.association) {
    const { op, value } = args.association;
    try {
      await args.patch([
        { ...args.association, op: op === 'add' ? 'remove' : 'add' },
      ]);
    } catch (error) {
      problems.push(
        `${value} ${
          op === 'add'
            ? 'is still associated with the API'
            : 'is no longer associated with the API'
        } (${summarizeAwsError(error).code})`,
      );
    }
  }
  for (const result of deployments.filter(d => d.status === 'deployed')) {
    // Redeploying a policy that still holds the change would not take it out; and when this
    // apply wrote nothing (the policy held the change already), the stage keeps it.
    if (args.written === undefined || !policyUndone) continue;
    try {
      const deployment = await args.deploy(
        result.stage,
        `Roll back access request ${request.id}`,
      );
      Object.assign(result, {
        status: 'rolled-back',
        live: false,
        deploymentId: deployment.id,
        at: new Date().toISOString(),
      });
    } catch (error) {
      Object.assign(result, {
        status: 'rollback-failed',
        live: true,
        error: summarizeAwsError(error),
        at: new Date().toISOString(),
      });
      problems.push(
        `Stage ${result.stage} could not be redeployed without the change`,
      );
    }
  }
  const summary =
    args.written === undefined && !args.association
      ? 'Nothing was live: the policy was not changed.'
      : 'The change was taken out of the policy (edits made meanwhile were kept) and every stage it reached was redeployed without it: nothing is live.';
  return { summary, problems, policyAfter };
}
