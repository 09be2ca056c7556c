/*
 * The runnable Backstage backend of this repository: the catalog, guest sign-in for local
 * use, permissions, notifications, and the private API catalogue plugin.
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

// The embedded default's AWS endpoint (off unless awsSimulator.enabled).
backend.add(import('./awsSimulator'));

backend.start();
