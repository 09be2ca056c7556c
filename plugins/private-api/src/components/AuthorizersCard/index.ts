export { PrivateApiAuthorizersCard } from './AuthorizersCard';
