export { PrivateApiInvokeCard } from './InvokeCard';
