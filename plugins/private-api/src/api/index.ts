export { PrivateApiClient, privateApiApiRef } from './PrivateApiClient';
export type {
  ListApisQuery,
  PrivateApiApi,
  PrivateApiHealth,
  PrivateApiLocator,
} from './PrivateApiClient';
