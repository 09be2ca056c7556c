import { SimError } from './errors';
import type { Estate } from './estate/model';
import { ids } from './ids';
import type { SimRequest } from './protocols/types';
import type { Identity } from './services/types';

export interface CredentialScope {
  accessKeyId: string;
  region: string;
  /** The signing name: apigateway, ec2, elasticloadbalancing, sts, monitoring, organizations. */
  service: string;
}

/**
 * The SigV4 credential scope `{key}/{date}/{region}/{service}/aws4_request`, from the
 * Authorization header (or X-Amz-Credential of a presigned URL). Signatures are not
 * verified: the simulator trusts whoever calls it on loopback.
 */
export function parseCredentialScope(
  req: SimRequest,
): CredentialScope | undefined {
  const header = String(req.headers.authorization ?? '');
  const credential =
    /Credential=([^,\s]+)/.exec(header)?.[1] ??
    req.query.get('X-Amz-Credential') ??
    undefined;
  const parts = credential?.split('/');
  if (!parts || parts.length !== 5 || parts[4] !== 'aws4_request')
    return undefined;
  return { accessKeyId: parts[0], region: parts[2], service: parts[3] };
}

interface Session {
  accountId: string;
  roleName: string;
  sessionName: string;
  expiration: Date;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  assumedRoleId: string;
  arn: string;
}

/**
 * Temporary credentials issued by AssumeRole, and which account each access key acts in.
 * Temporary key ids embed the account (`ASIA` + account + counter) so that credentials a
 * client cached keep acting in the right account after the simulator restarts.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private counter = 0;

  constructor(private readonly estate: Estate) {}

  issue(
    accountId: string,
    roleName: string,
    sessionName: string,
    durationSeconds: number,
    now: Date,
  ): IssuedCredentials {
    this.counter += 1;
    const accessKeyId = `ASIA${accountId}${this.counter
      .toString(36)
      .toUpperCase()
      .padStart(4, '0')
      .slice(-4)}`;
    const expiration = new Date(now.getTime() + durationSeconds * 1000);
    this.sessions.set(accessKeyId, {
      accountId,
      roleName,
      sessionName,
      expiration,
    });
    const roleId = `AROA${ids.upper(`${accountId}:${roleName}`, 17)}`;
    return {
      accessKeyId,
      secretAccessKey: ids.hex(`${accessKeyId}:secret`, 40),
      sessionToken: Buffer.from(
        `simulator-session:${accessKeyId}:${now.getTime()}`,
      ).toString('base64'),
      expiration,
      assumedRoleId: `${roleId}:${sessionName}`,
      arn: `arn:${this.estate.partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    };
  }

  /** The identity an access key acts as; throws SimError('expired') for expired sessions. */
  identify(accessKeyId: string, now: Date, expired: () => SimError): Identity {
    const { partition } = this.estate;
    const session = this.sessions.get(accessKeyId);
    if (session) {
      if (session.expiration.getTime() <= now.getTime()) throw expired();
      return {
        accountId: session.accountId,
        arn: `arn:${partition}:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
        userId: `AROA${ids.upper(
          `${session.accountId}:${session.roleName}`,
          17,
        )}:${session.sessionName}`,
      };
    }
    const embedded = /^ASIA(\d{12})[0-9A-Z]{4}$/.exec(accessKeyId)?.[1];
    if (embedded && this.estate.accountsById.has(embedded)) {
      return {
        accountId: embedded,
        arn: `arn:${partition}:sts::${embedded}:assumed-role/unknown-role/${accessKeyId}`,
        userId: `AROA${ids.upper(
          `${embedded}:unknown-role`,
          17,
        )}:${accessKeyId}`,
      };
    }
    const accountId =
      this.estate.accessKeys.get(accessKeyId) ?? this.estate.mainAccount;
    return {
      accountId,
      arn: `arn:${partition}:iam::${accountId}:user/simulator`,
      userId: `AIDA${ids.upper(`${accountId}:${accessKeyId}`, 17)}`,
    };
  }
}
