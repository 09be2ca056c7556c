import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEventSeverityLevel,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  AccessRequest,
  lineDiff,
} from '@private-api-catalog/plugin-private-api-common';
import type { Request } from 'express';
import { createHash } from 'node:crypto';

type JsonObject = NonNullable<AuditorServiceCreateEventOptions['meta']>;

function pretty(policy: string | undefined): string {
  if (!policy) return '';
  try {
    return JSON.stringify(JSON.parse(policy), null, 2);
  } catch {
    return policy;
  }
}

function sha256(text: string | undefined): string | null {
  return text ? createHash('sha256').update(text).digest('hex') : null;
}

/** What an audit record says about a policy change: hashes of both sides and the diff. */
export function policyAudit(before?: string, after?: string): JsonObject {
  if (before === undefined && after === undefined) return {};
  return {
    policyBeforeSha256: sha256(before),
    policyAfterSha256: sha256(after),
    policyDiff: lineDiff(pretty(before), pretty(after)),
  };
}

/** The fields every access-request audit record carries. */
export function requestAudit(request: AccessRequest): JsonObject {
  return {
    requestId: request.id,
    kind: request.kind,
    apiRef: request.entityRef,
    accountId: request.accountId,
    region: request.region,
    apiId: request.apiId,
    caller: request.vpcEndpointId ?? request.vpcId ?? null,
    stages: request.stages,
    requester: request.requester,
  };
}

/**
 * Access-request events for Backstage's auditor service (`coreServices.auditor`): every
 * state change (who, what, the policy before and after as hashes and a diff) and every
 * refused attempt. Writes that change AWS are `high`, decisions `medium`.
 */
export class AccessAudit {
  constructor(
    private readonly auditor: AuditorService | undefined,
    private readonly logger: LoggerService,
  ) {}

  async stateChange(options: {
    request: AccessRequest;
    actor: string;
    action: string;
    fromState?: string;
    policyBefore?: string;
    policyAfter?: string;
    message?: string;
    httpRequest?: Request;
  }) {
    const severityLevel: AuditorServiceEventSeverityLevel = [
      'apply-succeeded',
      'apply-failed',
      'apply-needs-attention',
      'recover-applied',
      'recover-not-applied',
    ].includes(options.action)
      ? 'high'
      : 'medium';
    await this.emit(
      'access-request-change',
      severityLevel,
      options.httpRequest,
      {
        ...requestAudit(options.request),
        actor: options.actor,
        action: options.action,
        fromState: options.fromState ?? null,
        toState: options.request.state,
        message: options.message ?? null,
        ...policyAudit(options.policyBefore, options.policyAfter),
      },
    );
  }

  async refused(options: {
    action: string;
    actor?: string;
    requestId?: string;
    error: Error;
    httpRequest?: Request;
  }) {
    await this.emit(
      'access-request-refused',
      'medium',
      options.httpRequest,
      {
        actor: options.actor ?? null,
        action: options.action,
        requestId: options.requestId ?? null,
      },
      options.error,
    );
  }

  private async emit(
    eventId: string,
    severityLevel: AuditorServiceEventSeverityLevel,
    request: Request | undefined,
    meta: JsonObject,
    error?: Error,
  ) {
    if (!this.auditor) return;
    try {
      const event = await this.auditor.createEvent({
        eventId,
        severityLevel,
        request,
        meta,
      });
      if (error) await event.fail({ error, meta });
      else await event.success({ meta });
    } catch (e) {
      // The audit must never take the workflow down; say so loudly instead.
      this.logger.error(`Could not write an audit event ${eventId}: ${e}`);
    }
  }
}
