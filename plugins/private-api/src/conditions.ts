import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_API_GATEWAY_API_ID,
  ANNOTATION_VPC_ENDPOINT_ID,
} from '@private-api-catalog/plugin-private-api-common';

/**
 * True for entities that discovery wrote (they carry the API Gateway API id annotation):
 * the condition for showing the Private API tab and cards.
 *
 * @public
 */
export function isPrivateApiAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_API_GATEWAY_API_ID]);
}

/**
 * True for the execute-api VPC endpoint Resources discovery wrote: the condition for the
 * "APIs this endpoint may call" card.
 *
 * @public
 */
export function isVpcEndpointAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_VPC_ENDPOINT_ID]);
}
