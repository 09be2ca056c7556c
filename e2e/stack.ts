/**
 * How the e2e tests start the stack: the backend from source, serving the built app
 * (`npm run build:app` first), with the AWS simulator's demo estate, on ports of their own
 * so that a running dev instance does not clash.
 */
import path from 'node:path';

export const e2ePort = Number(process.env.E2E_PORT ?? 7107);
/** The AWS simulator of the e2e stack, apart from a dev instance's 4566. */
export const e2eSimulatorPort = Number(process.env.E2E_SIMULATOR_PORT ?? 4667);
export const e2eBaseUrl = `http://localhost:${e2ePort}`;

const backendDir = path.resolve(__dirname, '../packages/backend');

const env = [
  `APP_CONFIG_app_baseUrl=${e2eBaseUrl}`,
  `APP_CONFIG_backend_baseUrl=${e2eBaseUrl}`,
  `APP_CONFIG_backend_listen_port=${e2ePort}`,
  `APP_CONFIG_awsSimulator_port=${e2eSimulatorPort}`,
  `APP_CONFIG_privateApi_endpoints_default=http://127.0.0.1:${e2eSimulatorPort}`,
  // The guest provider refuses sign-in outside NODE_ENV=development unless told otherwise.
  'APP_CONFIG_auth_providers_guest_dangerouslyAllowOutsideDevelopment=true',
].join(' ');

export const e2eServerCommand = `cd ${backendDir} && ${env} node --require @backstage/cli-node/config/nodeTransform.cjs src/index.ts`;
