export { PrivateApiAllowedCallersCard } from './AllowedCallersCard';
