import { createBackendModule } from '@backstage/backend-plugin-api';
import { actionsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createRequestAccessAction } from './actions/requestAccess';

/**
 * Scaffolder module with the `private-api:request-access` action.
 *
 * @public
 */
export const scaffolderModulePrivateApi = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'private-api',
  register(env) {
    env.registerInit({
      deps: {
        actions: actionsServiceRef,
        scaffolder: scaffolderActionsExtensionPoint,
      },
      async init({ actions, scaffolder }) {
        scaffolder.addActions(createRequestAccessAction({ actions }));
      },
    });
  },
});
