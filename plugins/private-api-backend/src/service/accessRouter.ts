import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { ConditionTransformer } from '@backstage/plugin-permission-node';
import {
  AccessRequest,
  AccessRequestPage,
  accessRequestApplyPermission,
  accessRequestApprovePermission,
  accessRequestCreatePermission,
  accessRequestReadPermission,
  AccessRequestState,
} from '@private-api-catalog/plugin-private-api-common';
import express from 'express';
import { z } from 'zod';
import { AccessRequestService } from '../access/AccessRequestService';
import type { AccessRequestStore } from '../access/AccessRequestStore';
import type { AccessAudit } from '../access/audit';
import type { AccessRequestFilter } from '../access/permissions';
import {
  awsId,
  parseInput,
  rejectUnsafeInput,
  requestIdParams,
} from './validation';

const STATES = [
  'pending',
  'approved',
  'applying',
  'applied',
  'verified',
  'rejected',
  'cancelled',
  'failed',
  'needs-attention',
] as const satisfies readonly AccessRequestState[];

const createSchema = z
  .object({
    kind: z.enum(['grant', 'revoke']).optional(),
    accountId: awsId('accountId'),
    region: awsId('region'),
    apiId: awsId('apiId'),
    stages: z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9_-]{1,128}$/,
            'must be a stage name (letters, digits, - and _)',
          ),
      )
      .max(50)
      .optional(),
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
    apiRef: z
      .string()
      .regex(
        /^api:[a-z0-9._-]+\/[a-z0-9._-]+$/i,
        'must be an API entity ref such as api:default/payments-api-4qzwubhjbs',
      )
      .transform(ref => ref.toLowerCase())
      .optional(),
    kind: z.enum(['grant', 'revoke']).optional(),
    state: z
      .string()
      .transform(text => text.split(',').map(s => s.trim()))
      .pipe(z.array(z.enum(STATES)).min(1))
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(500).optional(),
  })
  .strict();

const rejectSchema = z
  .object({
    reason: z
      .string()
      .trim()
      .min(3, 'say why the request is rejected')
      .max(2000),
  })
  .strict();
const approveSchema = z
  .object({ comment: z.string().trim().max(2000).optional() })
  .strict();

/** 415: a POST whose body is not JSON. */
class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415;
}

/** POSTs with a body must send JSON: anything else would reach the handlers as `{}`. */
function requireJsonBody(
  req: express.Request,
  _res: express.Response,
  next: express.NextFunction,
) {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 ||
    req.headers['transfer-encoding'] !== undefined;
  if (req.method === 'POST' && hasBody && !req.is('application/json')) {
    next(
      new UnsupportedMediaTypeError(
        `The body must be JSON: send it with Content-Type: application/json (got ${
          req.headers['content-type'] ?? 'no Content-Type'
        })`,
      ),
    );
    return;
  }
  next();
}

/**
 * The access-request routes. Reading, approving and applying are resource permissions:
 * a policy can allow them conditionally (the requester, the API's owners). For one request
 * the framework applies the conditions to it; for the list they become a database query
 * (`authorizeConditional` + the rules' `toQuery`), so a page costs the same whatever the
 * number of stored requests.
 */
export function addAccessRequestRoutes(
  router: express.Router,
  options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    requests: AccessRequestStore;
    service: AccessRequestService;
    /** The access-request rules' conditions as filters (from the permissions registry). */
    toFilter?: ConditionTransformer<AccessRequestFilter>;
    audit?: AccessAudit;
  },
) {
  const { httpAuth, permissions, requests, service, audit } = options;

  router.use('/access-requests', requireJsonBody, rejectUnsafeInput);

  const user = async (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  /**
   * Runs a route; a refusal (403, 409, 429) is recorded in the audit with who tried what,
   * then answered as usual.
   */
  const audited =
    (
      action: string,
      handler: (req: express.Request, res: express.Response) => Promise<void>,
    ) =>
    async (req: express.Request, res: express.Response) => {
      try {
        await handler(req, res);
      } catch (error) {
        const e = error as Error & { statusCode?: number };
        if (
          ['NotAllowedError', 'ConflictError'].includes(e.name) ||
          e.statusCode === 429
        ) {
          let actor: string | undefined;
          try {
            actor = (await user(req)).principal.userEntityRef;
          } catch {
            actor = undefined;
          }
          await audit?.refused({
            action,
            actor,
            requestId:
              typeof req.params.id === 'string' ? req.params.id : undefined,
            error: e,
            httpRequest: req,
          });
        }
        throw error;
      }
    };

  const allowedOn = async (
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    permission: ResourcePermission<'private-api-access-request'>,
    request: AccessRequest,
  ) => {
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: request.id }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  };

  const requireOn = async (
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    permission: ResourcePermission<'private-api-access-request'>,
    request: AccessRequest,
    what: string,
  ) => {
    if (!(await allowedOn(credentials, permission, request))) {
      throw new NotAllowedError(
        `You may not ${what} access request ${request.id} (permission ${
          permission.name
        }); the API's owners (${
          request.owners.join(', ') || 'none known yet'
        }) may`,
      );
    }
  };

  /**
   * The request named in the path, with its owners resolved now (so that the permission
   * rules judge today's owners); 400 for an id that is not a UUID.
   */
  const requestOf = async (req: express.Request) => {
    const { id } = parseInput(requestIdParams, req.params, 'request id');
    return service.withCurrentOwners(id);
  };

  /**
   * The permission's decision for the list, as criteria for the query: undefined when
   * allowed outright, null when denied.
   */
  const criteriaFor = async (
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    permission: ResourcePermission<'private-api-access-request'>,
  ): Promise<PermissionCriteria<AccessRequestFilter> | undefined | null> => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.CONDITIONAL && options.toFilter) {
      return options.toFilter(decision.conditions);
    }
    return decision.result === AuthorizeResult.ALLOW ? undefined : null;
  };

  router.post(
    '/access-requests',
    audited('create', async (req, res) => {
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
    }),
  );

  router.get('/access-requests', async (req, res) => {
    const credentials = await user(req);
    const { view, state, apiRef, limit, cursor, ...filter } = parseInput(
      listQuery,
      req.query,
      'query',
    );
    const criteria = [
      await criteriaFor(credentials, accessRequestReadPermission),
      ...(view === 'approvals'
        ? [await criteriaFor(credentials, accessRequestApprovePermission)]
        : []),
    ];
    if (criteria.includes(null)) {
      const empty: AccessRequestPage = { items: [] };
      res.json(empty);
      return;
    }
    const page: AccessRequestPage = await requests.page({
      filter: {
        ...filter,
        entityRef: apiRef,
        states: state,
        requester:
          view === 'mine' ? credentials.principal.userEntityRef : undefined,
      },
      criteria: criteria.filter(
        (c): c is PermissionCriteria<AccessRequestFilter> => !!c,
      ),
      limit,
      cursor,
    });
    res.json(page);
  });

  router.get('/access-requests/:id', async (req, res) => {
    const credentials = await user(req);
    const request = await requestOf(req);
    await requireOn(credentials, accessRequestReadPermission, request, 'see');
    res.json(request);
  });

  router.get('/access-requests/:id/preview', async (req, res) => {
    const credentials = await user(req);
    const request = await requestOf(req);
    await requireOn(credentials, accessRequestReadPermission, request, 'see');
    res.json(await service.preview(request.id));
  });

  router.post(
    '/access-requests/:id/approve',
    audited('approve', async (req, res) => {
      const credentials = await user(req);
      const request = await requestOf(req);
      const { comment } = parseInput(approveSchema, req.body, 'approval');
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
          req,
        ),
      );
    }),
  );

  router.post(
    '/access-requests/:id/reject',
    audited('reject', async (req, res) => {
      const credentials = await user(req);
      const request = await requestOf(req);
      const { reason } = parseInput(rejectSchema, req.body, 'rejection');
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
          req,
        ),
      );
    }),
  );

  router.post(
    '/access-requests/:id/apply',
    audited('apply', async (req, res) => {
      const credentials = await user(req);
      const request = await requestOf(req);
      await requireOn(
        credentials,
        accessRequestApplyPermission,
        request,
        'apply',
      );
      res.json(
        await service.apply(
          request.id,
          credentials.principal.userEntityRef,
          req,
        ),
      );
    }),
  );

  router.post(
    '/access-requests/:id/verify',
    audited('verify', async (req, res) => {
      const credentials = await user(req);
      const request = await requestOf(req);
      await requireOn(credentials, accessRequestReadPermission, request, 'see');
      res.json(
        await service.verifyNow(
          request.id,
          credentials.principal.userEntityRef,
        ),
      );
    }),
  );

  router.post(
    '/access-requests/:id/cancel',
    audited('cancel', async (req, res) => {
      const credentials = await user(req);
      const request = await requestOf(req);
      if (request.requester !== credentials.principal.userEntityRef) {
        throw new NotAllowedError(
          `Only the requester (${request.requester}) may cancel access request ${request.id}`,
        );
      }
      res.json(
        await service.cancel(
          request.id,
          credentials.principal.userEntityRef,
          req,
        ),
      );
    }),
  );
}
