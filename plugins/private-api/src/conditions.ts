import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_API_GATEWAY_API_ID } from '@private-api-catalog/plugin-private-api-common';

/**
 * True for entities that discovery wrote (they carry the API Gateway API id annotation):
 * the condition for showing the Private API tab and cards.
 *
 * @public
 */
export function isPrivateApiAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_API_GATEWAY_API_ID]);
}
