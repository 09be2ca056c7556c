import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import { PrivateApiSearchDocument } from '@private-api-catalog/plugin-private-api-common';

/** Props of {@link PrivateApiSearchResultListItem}. */
export interface PrivateApiSearchResultListItemProps {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
  icon?: ReactNode;
}

function list(value: string | undefined): string[] {
  return value ? value.split(', ').filter(Boolean) : [];
}

/**
 * One discovered API in Backstage search: its name, where it runs, and the facts a search
 * matched on (the VPC endpoints and VPCs that may call it, routes, Lambda functions,
 * domains), the matched words highlighted.
 */
export function PrivateApiSearchResultListItem(
  props: PrivateApiSearchResultListItemProps,
) {
  const document = props.result as PrivateApiSearchDocument | undefined;
  if (!document) return null;
  const highlight = props.highlight;
  const highlighted = (field: keyof PrivateApiSearchDocument) => {
    const text = highlight?.fields[field];
    return text ? (
      <HighlightedSearchResultText
        text={text}
        preTag={highlight!.preTag}
        postTag={highlight!.postTag}
      />
    ) : (
      document[field]
    );
  };
  const account = document.accountName
    ? `${document.accountName} (${document.accountId})`
    : document.accountId;
  const callers = [...list(document.vpcEndpointIds), ...list(document.vpcIds)];
  const facts: Array<[string, keyof PrivateApiSearchDocument]> = [
    ['Routes', 'routes'],
    ['Lambda functions', 'lambdaFunctions'],
    ['Integration hosts', 'integrationHosts'],
    ['Custom domains', 'customDomains'],
  ];
  return (
    <ListItem alignItems="flex-start" divider>
      {props.icon && <ListItemIcon>{props.icon}</ListItemIcon>}
      <ListItemText
        primaryTypographyProps={{ variant: 'h6' }}
        primary={
          <Link noTrack to={document.location}>
            {highlighted('title')}
          </Link>
        }
        secondaryTypographyProps={{ component: 'div' } as any}
        secondary={
          <>
            <Typography variant="body2" color="textSecondary">
              {document.endpointType} {document.apiType} API {document.apiId}{' '}
              · {account} · {document.region} · owner {document.owner}
            </Typography>
            {callers.length > 0 && (
              <Box mt={1} aria-label="Callable through">
                <Typography variant="body2" component="span">
                  Callable through:{' '}
                </Typography>
                {callers.map(id => (
                  <Chip
                    key={id}
                    size="small"
                    label={id}
                    style={{ marginRight: 4, marginBottom: 4 }}
                  />
                ))}
              </Box>
            )}
            {facts
              .filter(([, field]) => document[field])
              .map(([label, field]) => (
                <Typography key={field} variant="body2" component="div">
                  {label}: {highlighted(field)}
                </Typography>
              ))}
          </>
        }
      />
    </ListItem>
  );
}
