import {
  CreateDeploymentCommand,
  GetRestApiCommand,
  GetStagesCommand,
  PatchOperation,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import {
  AccessRequest,
  grantVpcAccess,
  parseResourcePolicy,
  serializePolicy,
} from '@private-api-catalog/plugin-private-api-common';
import type { ScopeClients } from '../aws/clients';
import { adviceFor, describeAwsError } from '../aws/errors';

export type ApplyOutcome =
  | {
      outcome: 'applied';
      policyBefore?: string;
      policyAfter?: string;
      message: string;
    }
  | { outcome: 'review-needed'; policyBefore?: string; message: string }
  | {
      outcome: 'failed';
      code: string;
      message: string;
      policyBefore?: string;
      policyAfter?: string;
    };

/** The policy as comparable JSON text, whatever escaping AWS returned it with. */
function normalize(policy: string | undefined): string | undefined {
  if (!policy) return undefined;
  return serializePolicy(parseResourcePolicy(policy));
}

/**
 * Applies an approved request to AWS: re-reads the policy, refuses if it changed since the
 * owners reviewed it, grants on the current policy (so a concurrent change is kept and a
 * retried apply never grants twice), associates the endpoint when asked, and redeploys each
 * stage (the change takes effect only then; CreateDeployment is limited to 1 per 5 s, which
 * the client's quota bucket respects). Any failure restores the previous policy and
 * association and redeploys the stages already deployed.
 */
export async function applyAccessRequest(
  clients: ScopeClients,
  request: AccessRequest,
): Promise<ApplyOutcome> {
  const restApiId = request.apiId;
  const api = await clients.apigateway.send(
    new GetRestApiCommand({ restApiId }),
  );
  const current = normalize(api.policy);
  const reviewed = normalize(request.proposedChange?.basePolicy);
  const approved = normalize(request.proposedChange?.policy);
  const apiArn = `arn:${clients.partition}:execute-api:${request.region}:${request.accountId}:${restApiId}`;

  // A retried apply finds its own change in place: carry on to the deployments.
  if (current !== reviewed && current !== approved) {
    return {
      outcome: 'review-needed',
      policyBefore: current,
      message:
        'The resource policy changed since the request was approved; the owners must review the change against the current policy and approve again.',
    };
  }

  const change = grantVpcAccess(
    current,
    {
      vpcId: request.vpcEndpointId ? undefined : request.vpcId,
      vpceId: request.vpcEndpointId,
    },
    { apiArn },
  );
  const associateId = request.associateEndpoint
    ? request.vpcEndpointId
    : undefined;
  const associated = api.endpointConfiguration?.vpcEndpointIds ?? [];
  const undo: PatchOperation[] = [];
  const deployed: string[] = [];
  let didAssociate = false;
  const patch = async (patchOperations: PatchOperation[]) =>
    clients.apigateway.send(
      new UpdateRestApiCommand({ restApiId, patchOperations }),
    );
  const deploy = async (stageName: string, description: string) =>
    clients.apigateway.send(
      new CreateDeploymentCommand({ restApiId, stageName, description }),
    );

  try {
    if (change.changed && change.policyJson) {
      await patch([
        { op: 'replace', path: '/policy', value: change.policyJson },
      ]);
      undo.push({ op: 'replace', path: '/policy', value: current ?? '' });
    }
    if (associateId && !associated.includes(associateId)) {
      await patch([
        {
          op: 'add',
          path: '/endpointConfiguration/vpcEndpointIds',
          value: associateId,
        },
      ]);
      undo.push({
        op: 'remove',
        path: '/endpointConfiguration/vpcEndpointIds',
        value: associateId,
      });
      didAssociate = true;
    }
    const stages =
      request.stages.length > 0
        ? request.stages
        : (
            (await clients.apigateway.send(new GetStagesCommand({ restApiId })))
              .item ?? []
          ).map(s => s.stageName!);
    for (const stage of stages) {
      await deploy(
        stage,
        `Access request ${request.id}: allow ${
          request.vpcEndpointId ?? request.vpcId
        }`,
      );
      deployed.push(stage);
    }
    return {
      outcome: 'applied',
      policyBefore: current,
      policyAfter: change.changed ? change.policyJson : current,
      message: [
        change.changed
          ? change.summary
          : 'The policy already allowed the caller; nothing to change.',
        didAssociate
          ? `Associated ${associateId} (its Route 53 alias resolves within minutes).`
          : '',
        `Deployed ${stages.join(', ') || 'no stage'}.`,
      ]
        .filter(Boolean)
        .join(' '),
    };
  } catch (error) {
    const info = describeAwsError(error);
    const rollback = await restore(
      undo.reverse(),
      deployed,
      patch,
      deploy,
      request.id,
    );
    return {
      outcome: 'failed',
      code: info.code,
      message: `${info.message} ${rollback} ${adviceFor(info)}`,
      policyBefore: current,
      policyAfter: change.policyJson,
    };
  }
}

/** Undoes the steps taken, newest first; says what it could and could not restore. */
async function restore(
  undo: PatchOperation[],
  deployed: string[],
  patch: (ops: PatchOperation[]) => Promise<unknown>,
  deploy: (stage: string, description: string) => Promise<unknown>,
  requestId: string,
): Promise<string> {
  if (undo.length === 0 && deployed.length === 0)
    return 'Nothing had changed in AWS.';
  const problems: string[] = [];
  for (const op of undo) {
    try {
      await patch([op]);
    } catch (error) {
      problems.push(
        `could not undo ${op.op} ${op.path} (${describeAwsError(error).code})`,
      );
    }
  }
  for (const stage of deployed) {
    try {
      await deploy(stage, `Roll back access request ${requestId}`);
    } catch (error) {
      problems.push(
        `could not redeploy ${stage} with the previous policy (${
          describeAwsError(error).code
        })`,
      );
    }
  }
  return problems.length === 0
    ? 'The previous policy and association were restored and the stages already deployed were redeployed.'
    : `Rollback was incomplete: ${problems.join(
        '; ',
      )}. Check the API in the AWS console.`;
}
