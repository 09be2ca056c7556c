export { PrivateApiClient, privateApiApiRef } from './PrivateApiClient';
export type { PrivateApiApi, PrivateApiHealth } from './PrivateApiClient';
