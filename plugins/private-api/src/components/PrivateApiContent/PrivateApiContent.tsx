import { Grid } from '@material-ui/core';
import { EmptyState, InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_API_GATEWAY_API_ID,
  ANNOTATION_API_GATEWAY_API_TYPE,
  ANNOTATION_API_GATEWAY_ENDPOINT_TYPE,
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_REGION,
} from '@private-api-catalog/plugin-private-api-common';

/**
 * The "Private API" entity tab.
 *
 * @public
 */
export function PrivateApiContent() {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const apiId = annotations[ANNOTATION_API_GATEWAY_API_ID];

  if (!apiId) {
    return (
      <EmptyState
        missing="field"
        title="Not an API Gateway API"
        description={`This entity has no ${ANNOTATION_API_GATEWAY_API_ID} annotation. The private API catalogue's discovery adds it to the APIs it finds; check that discovery covers the API's account and Region.`}
      />
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Private API">
          <EmptyState
            missing="data"
            title={`No discovery data yet for API ${apiId}`}
            description={`The catalogue has not crawled ${
              annotations[ANNOTATION_API_GATEWAY_API_TYPE] ?? 'this'
            } API (${
              annotations[ANNOTATION_API_GATEWAY_ENDPOINT_TYPE] ??
              'unknown endpoint type'
            }) in account ${
              annotations[ANNOTATION_AWS_ACCOUNT_ID] ??
              '(no account annotation)'
            }, Region ${
              annotations[ANNOTATION_AWS_REGION] ?? '(no Region annotation)'
            }. Configure privateApi discovery for that account and Region, or wait for the next scheduled crawl.`}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
