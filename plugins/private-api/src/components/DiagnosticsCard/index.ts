export { PrivateApiDiagnosticsCard } from './DiagnosticsCard';
