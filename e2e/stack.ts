/**
 * How the e2e tests start the stack: the backend from source, serving the built app
 * (`npm run build:app` first), on its own port so a running dev instance does not clash.
 */
import path from 'node:path';

export const e2ePort = Number(process.env.E2E_PORT ?? 7107);
export const e2eBaseUrl = `http://localhost:${e2ePort}`;

const backendDir = path.resolve(__dirname, '../packages/backend');

const env = [
  `APP_CONFIG_app_baseUrl=${e2eBaseUrl}`,
  `APP_CONFIG_backend_baseUrl=${e2eBaseUrl}`,
  `APP_CONFIG_backend_listen_port=${e2ePort}`,
  // The guest provider refuses sign-in outside NODE_ENV=development unless told otherwise.
  'APP_CONFIG_auth_providers_guest_dangerouslyAllowOutsideDevelopment=true',
].join(' ');

export const e2eServerCommand = `cd ${backendDir} && ${env} node --require @backstage/cli-node/config/nodeTransform.cjs src/index.ts`;
