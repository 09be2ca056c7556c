/**
 * Backstage search for the private API catalogue: a collator module that indexes one
 * document per discovered Amazon API Gateway API.
 *
 * @packageDocumentation
 */

export { searchModulePrivateApiCollator as default } from './module';
export { PrivateApiCollatorFactory } from './collator/PrivateApiCollatorFactory';
export type { IndexedPrivateApiDocument } from './collator/PrivateApiCollatorFactory';
