import { Alert } from '@material-ui/lab';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { entityRouteRef, useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_API_GATEWAY_API_TYPE,
  ANNOTATION_API_GATEWAY_ENDPOINT_TYPE,
} from '@private-api-catalog/plugin-private-api-common';

/**
 * Why the definition of a discovered API has no "Try it out", and where the commands that
 * do work are. Swagger UI would call the API from this page, in the reader's browser: a
 * private API answers only through a VPC endpoint, signed or token routes need credentials
 * the page cannot add, and the API would have to answer CORS preflights for the portal's
 * origin. Its curl (unsigned, against the default host) fails for the same reasons.
 *
 * @public
 */
export function PrivateApiDefinitionNotice() {
  const { entity } = useEntity();
  const entityRoute = useRouteRef(entityRouteRef);
  const annotations = entity.metadata.annotations ?? {};
  const isPrivate =
    annotations[ANNOTATION_API_GATEWAY_ENDPOINT_TYPE] === 'PRIVATE';
  const isWebSocket =
    annotations[ANNOTATION_API_GATEWAY_API_TYPE] === 'WEBSOCKET';
  const tab = `${entityRoute(getCompoundEntityRef(entity))}/private-api`;
  return (
    <Alert severity="info">
      “Try it out” is off for this API: it would call the API from this page, in
      your browser,{' '}
      {isPrivate
        ? 'which cannot reach it: a private API answers only through an interface VPC endpoint in a VPC the resource policy allows. '
        : 'without the signature or token its routes may need, and the API would have to allow this portal in its CORS settings. '}
      The{' '}
      <Link to={tab} underline="always">
        Private API tab
      </Link>{' '}
      gives ready {isWebSocket ? 'wscat' : 'curl'} commands for where you call
      from, with the URL that works there and the credentials each route needs.
    </Alert>
  );
}
