import { randomUUID } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZodError } from 'zod';
import { SessionStore, parseCredentialScope } from './auth';
import { SimError } from './errors';
import { emptyRegion, formatPath } from './estate/buildContext';
import type { Estate } from './estate/model';
import { FaultInjector } from './faults';
import type { SimRequest, SimResponse } from './protocols/types';
import { QuotaConfig, QuotaEnforcer } from './quota';
import { apiGatewayEndpoint } from './services/apigateway';
import { ChangeFeed, ChangeFeedOptions } from './changeFeed';
import { ApiChange, applyChange, ChangeError } from './estate/mutate';
import { cloudTrailEndpoint } from './services/cloudtrail';
import { cloudWatchEndpoint } from './services/cloudwatch';
import { ec2Endpoint } from './services/ec2';
import { elbv2Endpoint } from './services/elbv2';
import { organizationsEndpoint } from './services/organizations';
import { sqsEndpoint } from './services/sqs';
import { stsEndpoint } from './services/sts';
import type { ServiceEndpoint } from './services/types';
import { RequestLogEntry, StatsRecorder } from './stats';

const ENDPOINTS = new Map<string, ServiceEndpoint>(
  [
    apiGatewayEndpoint,
    ec2Endpoint,
    elbv2Endpoint,
    stsEndpoint,
    cloudWatchEndpoint,
    organizationsEndpoint,
    cloudTrailEndpoint,
    sqsEndpoint,
  ].map(endpoint => [endpoint.signingName, endpoint]),
);

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ServerSettings {
  estate: Estate;
  quotas: QuotaConfig | false;
  latencyMs: number;
  logLimit?: number;
  changeFeed?: ChangeFeedOptions;
}

/** Services whose writes CloudTrail records, by the simulator's service label. */
const EVENT_SOURCES: Record<string, string> = {
  apigateway: 'apigateway.amazonaws.com',
  apigatewayv2: 'apigateway.amazonaws.com',
  ec2: 'ec2.amazonaws.com',
};
const READ_ONLY = /^(Get|List|Describe|Lookup|Receive|Export)/;

/**
 * One HTTP server for every service: each request is routed by the signing name in its
 * SigV4 credential scope (as LocalStack does), acts in the account its access key maps to
 * and the Region of the scope, then passes faults and quotas before the operation runs.
 * `/_simulator/*` is the control API (stats, reset, faults, health).
 */
export class SimulatorServer {
  readonly stats: StatsRecorder;
  readonly faults: FaultInjector;
  readonly quotas: QuotaEnforcer;
  readonly changeFeed: ChangeFeed;
  private readonly sessions: SessionStore;
  private readonly server: Server;
  /** Requests held open by a timeout fault, answered never; destroyed on stop. */
  private readonly held = new Set<ServerResponse>();

  constructor(private readonly settings: ServerSettings) {
    this.stats = new StatsRecorder(settings.logLimit);
    this.faults = new FaultInjector(settings.estate.faults);
    this.quotas = new QuotaEnforcer(settings.quotas);
    this.sessions = new SessionStore(settings.estate);
    this.changeFeed = new ChangeFeed(settings.changeFeed);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(error => {
        // Only reached on a bug in the error path itself: answer rather than hang.
        if (!res.headersSent)
          res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`Simulator error: ${(error as Error).message}`);
      });
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    this.changeFeed.close();
    for (const res of this.held) res.destroy();
    this.held.clear();
    return new Promise(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(
    incoming: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://simulator');
    const req: SimRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: await readBody(incoming),
    };
    if (req.path.startsWith('/_simulator/')) {
      send(res, this.control(req));
      return;
    }
    await this.handleAws(req, res);
  }

  private async handleAws(req: SimRequest, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const now = new Date();
    const requestId = randomUUID();
    const scope = parseCredentialScope(req);
    if (!scope) {
      send(
        res,
        plainError(
          403,
          'MissingAuthenticationTokenException',
          'Missing Authentication Token: requests must be signed with SigV4 (the simulator routes by the credential scope).',
          requestId,
        ),
      );
      return;
    }
    const endpoint = ENDPOINTS.get(scope.service);
    if (!endpoint) {
      send(
        res,
        plainError(
          501,
          'UnknownServiceException',
          `The simulator does not implement service '${
            scope.service
          }'. Implemented: ${[...ENDPOINTS.keys()].join(', ')}`,
          requestId,
        ),
      );
      return;
    }

    const entry: RequestLogEntry = {
      time: now.toISOString(),
      service: endpoint.signingName,
      operation: 'Unknown',
      account: this.settings.estate.mainAccount,
      region: scope.region,
      status: 0,
      durationMs: 0,
    };
    let response: SimResponse;
    let delayMs = this.settings.latencyMs;
    try {
      const identity = this.sessions.identify(
        scope.accessKeyId,
        now,
        endpoint.errors.expiredToken,
      );
      entry.account = identity.accountId;
      const call = endpoint.resolve(req);
      entry.service = call.service;
      entry.operation = call.operation;

      const decision = this.faults.decide({
        account: call.targetAccount ?? identity.accountId,
        service: call.service,
        operation: call.operation,
      });
      if (decision.timeout) {
        this.hold(res, entry);
        return;
      }
      delayMs += decision.delayMs;
      const wait = this.quotas.acquire(
        // CloudTrail's LookupEvents quota is per account and Region.
        endpoint.signingName === 'cloudtrail'
          ? `${identity.accountId}/${scope.region}`
          : identity.accountId,
        endpoint.signingName,
        call.operation,
      );
      if (wait !== undefined) {
        entry.cause = 'throttled';
        throw endpoint.errors.throttling(wait);
      }
      if (decision.accessDenied) {
        entry.cause = 'accessDenied';
        throw endpoint.errors.accessDenied(identity, call.operation);
      }
      if (decision.serverError) {
        entry.cause = 'serverError';
        throw endpoint.errors.serverError(decision.serverError);
      }
      const account = this.settings.estate.accountsById.get(
        identity.accountId,
      )!;
      response = await call.run({
        estate: this.settings.estate,
        identity,
        account,
        region: scope.region,
        regionState:
          account.regions.get(scope.region) ??
          emptyRegion(account.id, scope.region),
        sessions: this.sessions,
        changeFeed: this.changeFeed,
        requestId,
        now,
      });
      if (response.status < 300) {
        this.recordWrite(call.service, call.operation, req, response, {
          identity,
          region: scope.region,
          accessKeyId: scope.accessKeyId,
          now,
        });
      }
    } catch (error) {
      const simError =
        error instanceof SimError
          ? error
          : new SimError(
              'InternalFailure',
              `Simulator failure: ${(error as Error).message}`,
              500,
            );
      entry.error = simError.code;
      response = endpoint.encodeError(simError, requestId);
    }
    if (delayMs > 0) await sleep(delayMs);
    send(res, response);
    entry.status = response.status;
    entry.durationMs = Math.round(performance.now() - started);
    this.stats.record(entry);
  }

  /**
   * A successful write to API Gateway or EC2 becomes a CloudTrail management event, with
   * the API id in its request parameters as API Gateway's events carry it.
   */
  private recordWrite(
    service: string,
    operation: string,
    req: SimRequest,
    response: SimResponse,
    who: {
      identity: { accountId: string; arn: string };
      region: string;
      accessKeyId: string;
      now: Date;
    },
  ) {
    const eventSource = EVENT_SOURCES[service];
    if (!eventSource || READ_ONLY.test(operation)) return;
    const requestParameters: Record<string, unknown> = {};
    const v1 = /^\/restapis\/([^/]+)/.exec(req.path);
    const v2 = /^\/v2\/apis\/([^/]+)/.exec(req.path);
    if (v1) requestParameters.restApiId = v1[1];
    if (v2) requestParameters.apiId = v2[1];
    if (service === 'ec2') {
      const params = new URLSearchParams(req.body.toString('utf8'));
      for (const [key, value] of params) {
        if (key !== 'Action' && key !== 'Version')
          requestParameters[key] = value;
      }
    }
    let responseElements: Record<string, unknown> | undefined;
    try {
      const parsed = JSON.parse(String(response.body ?? ''));
      if (parsed && typeof parsed === 'object') responseElements = parsed;
    } catch {
      // Query-protocol (XML) answers: the request parameters say enough.
    }
    this.changeFeed.record({
      eventName: operation,
      eventSource,
      accountId: who.identity.accountId,
      region: who.region,
      username: who.identity.arn.split('/').pop() ?? who.identity.arn,
      accessKeyId: who.accessKeyId,
      requestParameters,
      responseElements,
      time: who.now,
    });
  }

  /**
   * Body `{"changes": [{accountId, region, apiId, path}]}`: each API gets a route at `path`,
   * deployed to its stages, and CloudTrail records the calls its owner would have made.
   */
  private changeApis(body: Buffer): SimResponse {
    let parsed: { changes?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      return controlJson(400, {
        message:
          'The body must be JSON: {"changes": [{accountId, region, apiId, path}]}',
      });
    }
    if (!Array.isArray(parsed.changes)) {
      return controlJson(400, {
        message:
          'The body must be {"changes": [{accountId, region, apiId, path}]}',
      });
    }
    const now = new Date();
    const changed: string[] = [];
    try {
      changed.push(...this.applyChanges(parsed.changes, now));
    } catch (error) {
      if (error instanceof ChangeError)
        return controlJson(400, { message: error.message, changed });
      throw error;
    }
    return controlJson(200, { time: now.toISOString(), changed });
  }

  /** Applies owner changes in order; returns the ids of the APIs changed (all, unless one throws). */
  applyChanges(changes: ApiChange[], now = new Date()): string[] {
    const changed: string[] = [];
    for (const change of changes) {
      for (const call of applyChange(this.settings.estate, change, now)) {
        this.changeFeed.record({
          ...call,
          eventSource: 'apigateway.amazonaws.com',
          accountId: change.accountId,
          region: change.region,
          username: 'api-owner',
          time: now,
        });
      }
      changed.push(change.apiId);
    }
    return changed;
  }

  /** Body: ChangeFeedOptions without queues; `{"queues": [...]}` adds queues. */
  private configureChangeFeed(body: Buffer): SimResponse {
    let parsed: ChangeFeedOptions;
    try {
      parsed = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      return controlJson(400, { message: 'The body must be JSON' });
    }
    const { queues, ...options } = parsed;
    this.changeFeed.configure(options);
    for (const queue of queues ?? []) this.changeFeed.createQueue(queue);
    return controlJson(200, { configured: true });
  }

  /** A timeout fault: keep the request open until the client gives up or we stop. */
  private hold(res: ServerResponse, entry: RequestLogEntry): void {
    entry.cause = 'timeout';
    this.stats.record(entry);
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  private control(req: SimRequest): SimResponse {
    const route = `${req.method} ${req.path.replace(/\/$/, '')}`;
    switch (route) {
      case 'GET /_simulator/stats':
        return controlJson(200, this.stats.snapshot());
      case 'POST /_simulator/reset':
        this.stats.reset();
        this.quotas.reset();
        return controlJson(200, { reset: true });
      case 'GET /_simulator/faults':
        return controlJson(200, { faults: this.faults.list() });
      case 'POST /_simulator/faults':
        return this.setFaultsFromBody(req.body);
      case 'POST /_simulator/changes':
        return this.changeApis(req.body);
      case 'POST /_simulator/change-feed':
        return this.configureChangeFeed(req.body);
      case 'GET /_simulator/health': {
        const { accounts } = this.settings.estate;
        return controlJson(200, { status: 'ok', accounts: accounts.length });
      }
      default:
        return controlJson(404, {
          message: `Unknown control route ${route}. Routes: GET /_simulator/stats, POST /_simulator/reset, GET|POST /_simulator/faults, POST /_simulator/changes, POST /_simulator/change-feed, GET /_simulator/health`,
        });
    }
  }

  /** Body: `{"faults": [...]}` or a bare list; replaces the active faults. */
  private setFaultsFromBody(body: Buffer): SimResponse {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      return controlJson(400, {
        message: 'The body must be JSON: {"faults": [...]}',
      });
    }
    const faults = Array.isArray(parsed)
      ? parsed
      : (parsed as { faults?: unknown }).faults;
    if (!Array.isArray(faults))
      return controlJson(400, {
        message: 'The body must be {"faults": [...]}',
      });
    try {
      this.faults.set(faults);
    } catch (error) {
      if (error instanceof ZodError) {
        return controlJson(400, {
          message: 'Invalid faults',
          issues: error.issues.map(
            issue =>
              `${formatPath(['faults', ...issue.path])}: ${issue.message}`,
          ),
        });
      }
      throw error;
    }
    return controlJson(200, { faults: this.faults.list() });
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: SimResponse): void {
  if (res.destroyed) return;
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function controlJson(status: number, body: unknown): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body, null, 2),
  };
}

/** For requests no service claims: a JSON error with the code where every SDK looks for it. */
function plainError(
  status: number,
  code: string,
  message: string,
  requestId: string,
): SimResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': code,
      'x-amzn-requestid': requestId,
    },
    body: JSON.stringify({ __type: code, message }),
  };
}
