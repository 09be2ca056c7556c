import { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { AccessRequest } from '@private-api-catalog/plugin-private-api-common';

/**
 * Tells the people concerned about a request: the API's owners when one arrives, the
 * requester on each decision. Without the notifications plugin nothing is sent and nothing
 * fails: a notification is a courtesy, the request is the record.
 */
export class AccessRequestNotifier {
  constructor(
    private readonly options: {
      notifications?: NotificationService;
      logger: LoggerService;
      /** The frontend's base URL, for links. */
      appBaseUrl?: string;
    },
  ) {}

  private link(request: AccessRequest) {
    return `/private-apis/access-requests/${encodeURIComponent(request.id)}`;
  }

  async requestCreated(request: AccessRequest) {
    await this.send(request.owners, {
      title: `VPC access requested for ${request.apiName}`,
      description: `${request.requester} asks to allow ${
        request.vpcEndpointId ?? request.vpcId
      } to call ${request.apiName} (${request.apiId}): ${
        request.justification
      }`,
      link: this.link(request),
      topic: `private-api-access-request:${request.id}`,
    });
  }

  async decided(request: AccessRequest, what: string) {
    await this.send([request.requester], {
      title: `Your access request for ${request.apiName} was ${what}`,
      description: `${request.vpcEndpointId ?? request.vpcId} → ${
        request.apiName
      }: ${request.state}${
        request.failure
          ? ` (${request.failure.code}: ${request.failure.message})`
          : ''
      }`,
      link: this.link(request),
      topic: `private-api-access-request:${request.id}`,
    });
  }

  private async send(
    entityRefs: string[],
    payload: {
      title: string;
      description: string;
      link: string;
      topic: string;
    },
  ) {
    if (!this.options.notifications || entityRefs.length === 0) return;
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: entityRefs },
        payload: { ...payload, severity: 'normal' },
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not send a notification about an access request: ${error}`,
      );
    }
  }
}
