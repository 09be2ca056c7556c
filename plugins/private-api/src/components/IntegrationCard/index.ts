export { PrivateApiIntegrationCard } from './IntegrationCard';
