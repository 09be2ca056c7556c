import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * The mock auth service, except that a plugin calling another on behalf of a user sends a
 * token that names the calling plugin as its actor, as Backstage's real auth service does.
 * The permission framework relies on it: it refuses resource permissions and condition
 * checks from user tokens without an actor ("direct user requests"), which the plain mock
 * would make every plugin-to-plugin call look like.
 */
export const authWithActorsFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { pluginMetadata: coreServices.pluginMetadata },
  factory({ pluginMetadata }): AuthService {
    const pluginId = pluginMetadata.getId();
    const base = mockServices.auth({ pluginId });
    return {
      authenticate: (token, options) => base.authenticate(token, options),
      getNoneCredentials: () => base.getNoneCredentials(),
      getOwnServiceCredentials: () => base.getOwnServiceCredentials(),
      isPrincipal: base.isPrincipal.bind(base) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => base.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => base.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type === 'user') {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${pluginId}` },
            }),
          };
        }
        return base.getPluginRequestToken(options);
      },
    };
  },
});
