import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  AccessRequest,
  accessRequestApplyPermission,
  accessRequestApprovePermission,
  accessRequestCreatePermission,
  accessRequestReadPermission,
} from '@private-api-catalog/plugin-private-api-common';
import express from 'express';
import { z } from 'zod';
import { AccessRequestService } from '../access/AccessRequestService';
import type { AccessRequestStore } from '../access/AccessRequestStore';
import { awsId, parseInput } from './validation';

const createSchema = z
  .object({
    accountId: awsId('accountId'),
    region: awsId('region'),
    apiId: awsId('apiId'),
    stages: z.array(z.string().min(1)).optional(),
    vpcId: awsId('vpcId').optional(),
    vpcEndpointId: awsId('vpcEndpointId').optional(),
    associateEndpoint: z.boolean().optional(),
    justification: z
      .string()
      .trim()
      .min(
        10,
        'say in a sentence why the VPC needs the API (10 characters at least)',
      )
      .max(2000),
  })
  .strict();

const listQuery = z
  .object({
    /** mine: my requests; approvals: requests I may approve; all: every request I may see. */
    view: z.enum(['mine', 'approvals', 'all']).default('all'),
    accountId: awsId('accountId').optional(),
    region: awsId('region').optional(),
    apiId: awsId('apiId').optional(),
    state: z
      .enum([
        'pending',
        'approved',
        'applying',
        'applied',
        'verified',
        'rejected',
        'cancelled',
        'failed',
      ])
      .optional(),
  })
  .strict();

const rejectSchema = z
  .object({
    reason: z.string().trim().min(3, 'say why the request is rejected'),
  })
  .strict();
const approveSchema = z
  .object({ comment: z.string().trim().max(2000).optional() })
  .strict();

/**
 * The access-request routes. Reading, approving and applying are resource permissions:
 * a policy can allow them conditionally (the requester, the API's owners), and the
 * permission framework applies the conditions to each request (registered with
 * `permissionsRegistry.addResourceType`).
 */
export function addAccessRequestRoutes(
  router: express.Router,
  options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    requests: AccessRequestStore;
    service: AccessRequestService;
  },
) {
  const { httpAuth, permissions, requests, service } = options;

  const user = async (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  /**
   * Which of the requests the user may act on with `permission`: one batch of decisions
   * with each request as the resource, so the policy's conditions (requester, API owners)
   * are applied by the permission framework to each of them.
   */
  const permitted = async (
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    permission: ResourcePermission<'private-api-access-request'>,
    candidates: AccessRequest[],
  ) => {
    if (candidates.length === 0) return [];
    const decisions = await permissions.authorize(
      candidates.map(r => ({ permission, resourceRef: r.id })),
      { credentials },
    );
    return candidates.filter(
      (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
    );
  };

  const requireOn = async (
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    permission: ResourcePermission<'private-api-access-request'>,
    request: AccessRequest,
    what: string,
  ) => {
    if ((await permitted(credentials, permission, [request])).length === 0) {
      throw new NotAllowedError(
        `You may not ${what} access request ${request.id} (permission ${
          permission.name
        }); the API's owners (${
          request.owners.join(', ') || 'none recorded'
        }) may`,
      );
    }
  };

  router.post('/access-requests', async (req, res) => {
    const credentials = await user(req);
    const [decision] = await permissions.authorize(
      [{ permission: accessRequestCreatePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not request access (permission ${accessRequestCreatePermission.name})`,
      );
    }
    const input = parseInput(createSchema, req.body, 'access request');
    res
      .status(201)
      .json(await service.create(input, credentials.principal.userEntityRef));
  });

  router.get('/access-requests', async (req, res) => {
    const credentials = await user(req);
    const { view, state, ...filter } = parseInput(
      listQuery,
      req.query,
      'query',
    );
    const candidates = await requests.list({
      ...filter,
      states: state ? [state] : undefined,
      requester:
        view === 'mine' ? credentials.principal.userEntityRef : undefined,
    });
    const visible = await permitted(
      credentials,
      accessRequestReadPermission,
      candidates,
    );
    const items =
      view === 'approvals'
        ? await permitted(credentials, accessRequestApprovePermission, visible)
        : visible;
    res.json({ items });
  });

  router.get('/access-requests/:id', async (req, res) => {
    const credentials = await user(req);
    const request = await requests.getOrThrow(req.params.id);
    await requireOn(credentials, accessRequestReadPermission, request, 'see');
    res.json(request);
  });

  router.get('/access-requests/:id/preview', async (req, res) => {
    const credentials = await user(req);
    const request = await requests.getOrThrow(req.params.id);
    await requireOn(credentials, accessRequestReadPermission, request, 'see');
    res.json(await service.preview(request.id));
  });

  router.post('/access-requests/:id/approve', async (req, res) => {
    const credentials = await user(req);
    const { comment } = parseInput(approveSchema, req.body, 'approval');
    const request = await requests.getOrThrow(req.params.id);
    await requireOn(
      credentials,
      accessRequestApprovePermission,
      request,
      'approve',
    );
    res.json(
      await service.approve(
        request.id,
        credentials.principal.userEntityRef,
        comment,
      ),
    );
  });

  router.post('/access-requests/:id/reject', async (req, res) => {
    const credentials = await user(req);
    const { reason } = parseInput(rejectSchema, req.body, 'rejection');
    const request = await requests.getOrThrow(req.params.id);
    await requireOn(
      credentials,
      accessRequestApprovePermission,
      request,
      'reject',
    );
    res.json(
      await service.reject(
        request.id,
        credentials.principal.userEntityRef,
        reason,
      ),
    );
  });

  router.post('/access-requests/:id/apply', async (req, res) => {
    const credentials = await user(req);
    const request = await requests.getOrThrow(req.params.id);
    await requireOn(
      credentials,
      accessRequestApplyPermission,
      request,
      'apply',
    );
    res.json(
      await service.apply(request.id, credentials.principal.userEntityRef),
    );
  });

  router.post('/access-requests/:id/verify', async (req, res) => {
    const credentials = await user(req);
    const request = await requests.getOrThrow(req.params.id);
    await requireOn(credentials, accessRequestReadPermission, request, 'see');
    res.json(
      await service.verifyNow(request.id, credentials.principal.userEntityRef),
    );
  });

  router.post('/access-requests/:id/cancel', async (req, res) => {
    const credentials = await user(req);
    const request = await requests.getOrThrow(req.params.id);
    if (request.requester !== credentials.principal.userEntityRef) {
      throw new NotAllowedError(
        `Only the requester (${request.requester}) may cancel access request ${request.id}`,
      );
    }
    res.json(
      await service.cancel(request.id, credentials.principal.userEntityRef),
    );
  });
}
