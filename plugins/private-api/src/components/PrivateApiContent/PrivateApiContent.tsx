import { Grid } from '@material-ui/core';
import { EmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { AccessRequestsCard } from '../AccessRequests';
import { PrivateApiAllowedCallersCard } from '../AllowedCallersCard';
import { PrivateApiAuthorizersCard } from '../AuthorizersCard';
import { PrivateApiCostCard } from '../CostCard';
import { apiLocatorOf } from '../data/locator';
import { PrivateApiDataProvider } from '../data/PrivateApiDataProvider';
import { PrivateApiDiagnosticsCard } from '../DiagnosticsCard';
import { PrivateApiIntegrationCard } from '../IntegrationCard';
import { PrivateApiInvokeCard } from '../InvokeCard';
import { PrivateApiOverviewCard } from '../OverviewCard';

/**
 * The "Private API" entity tab: every card, with the API's details and the estate loaded
 * once for all of them.
 *
 * @public
 */
export function PrivateApiContent() {
  const { entity } = useEntity();
  const { missing } = apiLocatorOf(entity);
  if (missing) {
    return (
      <EmptyState
        missing="field"
        title="Not an API Gateway API"
        description={`This entity lacks the annotation${
          missing.length > 1 ? 's' : ''
        } ${missing.join(
          ', ',
        )}. Discovery writes them on every API it finds: check that discovery covers this API's account and Region.`}
      />
    );
  }
  return (
    <PrivateApiDataProvider>
      {/* Two columns from 1280 px: narrower, half-width cards squeeze their tables. */}
      <Grid container spacing={3} alignItems="flex-start">
        <Grid item xs={12} lg={6}>
          <PrivateApiOverviewCard />
        </Grid>
        <Grid item xs={12} lg={6}>
          <PrivateApiAllowedCallersCard />
        </Grid>
        <Grid item xs={12}>
          <PrivateApiInvokeCard />
        </Grid>
        <Grid item xs={12} lg={6}>
          <PrivateApiDiagnosticsCard />
        </Grid>
        <Grid item xs={12} lg={6}>
          <PrivateApiAuthorizersCard />
        </Grid>
        <Grid item xs={12} lg={6}>
          <PrivateApiIntegrationCard />
        </Grid>
        <Grid item xs={12} lg={6}>
          <PrivateApiCostCard />
        </Grid>
        <Grid item xs={12}>
          <AccessRequestsCard />
        </Grid>
      </Grid>
    </PrivateApiDataProvider>
  );
}
