import { ReactNode } from 'react';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ApiDetailsResponse,
  EstateResponse,
} from '@private-api-catalog/plugin-private-api-common';
import { apiLocatorOf } from '../data/locator';
import {
  usePrivateApiDetails,
  usePrivateApiEstate,
} from '../data/PrivateApiDataProvider';
import { LoadError } from './LoadError';

interface CardBaseProps {
  title: string;
  subheader?: string;
}

interface DetailsCardProps extends CardBaseProps {
  needsEstate?: false;
  children: (details: ApiDetailsResponse) => ReactNode;
}

interface EstateCardProps extends CardBaseProps {
  /** The card answers about the caller's network: it needs the estate's endpoints and VPCs. */
  needsEstate: true;
  children: (details: ApiDetailsResponse, estate: EstateResponse) => ReactNode;
}

function isNotFound(error: Error): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

/**
 * The frame of every Private API card: the InfoCard with its loading, error and empty
 * states inside it, so a card placed on its own never breaks the page around it.
 */
export function PrivateApiCard(props: DetailsCardProps): JSX.Element;
export function PrivateApiCard(props: EstateCardProps): JSX.Element;
export function PrivateApiCard(props: DetailsCardProps | EstateCardProps) {
  const { entity } = useEntity();
  const located = apiLocatorOf(entity);
  const details = usePrivateApiDetails();
  const estate = usePrivateApiEstate(props.needsEstate === true);

  let body: ReactNode;
  if (located.missing) {
    body = (
      <EmptyState
        missing="field"
        title="Not an API Gateway API"
        description={`This entity lacks the annotation${
          located.missing.length > 1 ? 's' : ''
        } ${located.missing.join(
          ', ',
        )}. Discovery writes them on every API it finds: check that discovery covers this API's account and Region.`}
      />
    );
  } else if (details.loading) {
    body = <Progress />;
  } else if (details.error && isNotFound(details.error)) {
    const { apiId, accountId, region } = located.locator;
    body = (
      <EmptyState
        missing="data"
        title={`No discovery data yet for API ${apiId}`}
        description={`The inventory has no API ${apiId} in account ${accountId}, Region ${region}. Wait for the next scheduled crawl, or check that the privateApi discovery config covers that account and Region (the Private APIs page shows the crawl status of each).`}
      />
    );
  } else if (details.error) {
    body = <LoadError error={details.error} retry={details.retry} />;
  } else if (!details.value) {
    body = <Progress />;
  } else if (props.needsEstate) {
    if (estate.loading) body = <Progress />;
    else if (estate.error)
      body = <LoadError error={estate.error} retry={estate.retry} />;
    else if (estate.value) body = props.children(details.value, estate.value);
    else body = <Progress />;
  } else {
    body = props.children(details.value);
  }

  return (
    <InfoCard
      title={props.title}
      subheader={props.subheader}
      // A real heading, so screen reader users can jump from card to card.
      titleTypographyProps={{ component: 'h2' }}
    >
      {body}
    </InfoCard>
  );
}
