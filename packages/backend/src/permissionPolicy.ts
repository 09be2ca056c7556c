/*
 * The shipped permission policy: the private API catalogue's recommended decisions
 * (requesters see their access requests; an API's owners, including members of owning
 * groups, approve and apply; only the admins of `privateApi.admins` start discovery and see
 * AWS errors in full), and allow-all for everything else. Adopt it in your own policy the
 * same way: return privateApiAccessRequestDecision(...) when it is defined.
 */
import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { privateApiAccessRequestDecision } from '@private-api-catalog/plugin-private-api-backend';

class DemoPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly admins: string[],
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const info = user
      ? await this.userInfo.getUserInfo(user.credentials)
      : undefined;
    return (
      privateApiAccessRequestDecision(request, info, {
        admins: this.admins,
      }) ?? {
        result: AuthorizeResult.ALLOW,
      }
    );
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
      },
      async init({ config, policy, userInfo }) {
        policy.setPolicy(
          new DemoPermissionPolicy(
            userInfo,
            config.getOptionalStringArray('privateApi.admins') ?? [],
          ),
        );
      },
    });
  },
});
