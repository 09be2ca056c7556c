export { AccessRequestsCard } from './AccessRequestsCard';
export {
  AccessRequestsContent,
  AccessRequestsPage,
} from './AccessRequestsPage';
export { RequestAccessButton, accessRequestPath } from './RequestAccessButton';
export type { AccessRequestPrefill } from './RequestAccessDialog';
