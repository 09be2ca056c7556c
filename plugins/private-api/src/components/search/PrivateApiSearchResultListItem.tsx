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

/** The words the search engine marked in some fields of the result. */
function matchedWords(
  highlight: ResultHighlight | undefined,
  fields: string[],
): Set<string> {
  const words = new Set<string>();
  if (!highlight) return words;
  const { preTag, postTag } = highlight;
  for (const field of fields) {
    const text = highlight.fields[field] ?? '';
    for (const part of text.split(preTag).slice(1)) {
      words.add(part.split(postTag)[0].toLowerCase());
    }
  }
  return words;
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
  const matched = matchedWords(highlight, ['vpcEndpointIds', 'vpcIds']);
  // An id matched when a query word other than its vpc/vpce prefix did.
  const isMatched = (id: string) =>
    id
      .split('-')
      .slice(1)
      .some(part => matched.has(part.toLowerCase()));
  const facts: Array<[string, keyof PrivateApiSearchDocument]> = [
    ['Routes', 'routes'],
    ['Lambda functions', 'lambdaFunctions'],
    ['Integration hosts', 'integrationHosts'],
    ['Custom domains', 'customDomains'],
  ];
  return (
    // The search page's result list already wraps each item in a list item.
    <ListItem component="div" alignItems="flex-start" divider>
      {props.icon && <ListItemIcon>{props.icon}</ListItemIcon>}
      <ListItemText
        primaryTypographyProps={{ variant: 'h6', component: 'h3' } as any}
        primary={
          <Link noTrack to={document.location}>
            {highlighted('title')}
          </Link>
        }
        // Secondary grey is too faint on the search page's background (WCAG contrast).
        secondaryTypographyProps={
          { component: 'div', color: 'textPrimary' } as any
        }
        secondary={
          <>
            <Typography variant="body2">
              {document.endpointType} {document.apiType} API {document.apiId} ·{' '}
              {account} · {document.region} · owner {document.owner}
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
                    color={isMatched(id) ? 'primary' : 'default'}
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
