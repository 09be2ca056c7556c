/*
 * The runnable Backstage backend of this repository: the catalog, guest sign-in for local
 * use, permissions, notifications, search, the MCP server, the scaffolder, and the private
 * API catalogue plugin.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest for local use (see app-config.production.yaml for a real provider).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
// Allow-all, except the private API catalogue's access-request rules (see permissionPolicy.ts).
backend.add(import('./permissionPolicy'));

backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// The private API catalogue: discovery, inventory, REST API and access requests, and the
// catalog module that turns the inventory into API entities.
backend.add(import('@private-api-catalog/plugin-private-api-backend'));
backend.add(import('@private-api-catalog/plugin-private-api-backend/catalog'));

// Search: the Lunr engine in memory (every word of a query must match, see searchEngine.ts),
// the catalog's entities and one document per discovered API.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('./searchEngine'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(
  import('@private-api-catalog/plugin-search-backend-module-private-api'),
);

// AI assistants: the MCP server at /api/mcp-actions/v1 serves the actions of the plugins
// listed in backend.actions.pluginSources (the private API catalogue's four actions).
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// Software Templates, with the private-api:request-access action and the Template kind.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(
  import('@private-api-catalog/plugin-scaffolder-backend-module-private-api'),
);

// The embedded default's AWS endpoint (off unless awsSimulator.enabled).
backend.add(import('./awsSimulator'));

backend.start();
