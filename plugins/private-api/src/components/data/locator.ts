import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_API_GATEWAY_API_ID,
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_REGION,
} from '@private-api-catalog/plugin-private-api-common';
import { PrivateApiLocator } from '../../api';

/** Where the entity's API lives, or which annotations are missing to tell. */
export type LocatorResult =
  | { locator: PrivateApiLocator; missing?: undefined }
  | { locator?: undefined; missing: string[] };

/** Reads the account, Region and API id that discovery writes on every API entity. */
export function apiLocatorOf(entity: Entity): LocatorResult {
  const annotations = entity.metadata.annotations ?? {};
  const accountId = annotations[ANNOTATION_AWS_ACCOUNT_ID];
  const region = annotations[ANNOTATION_AWS_REGION];
  const apiId = annotations[ANNOTATION_API_GATEWAY_API_ID];
  if (accountId && region && apiId) {
    return { locator: { accountId, region, apiId } };
  }
  return {
    missing: [
      [ANNOTATION_API_GATEWAY_API_ID, apiId],
      [ANNOTATION_AWS_ACCOUNT_ID, accountId],
      [ANNOTATION_AWS_REGION, region],
    ]
      .filter(([, value]) => !value)
      .map(([key]) => key as string),
  };
}
