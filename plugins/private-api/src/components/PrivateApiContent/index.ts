export { PrivateApiContent } from './PrivateApiContent';
