import { useState } from 'react';
import {
  Box,
  Button,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ANNOTATION_VIEW_URL } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ApiRecord,
  ScopeStatus,
} from '@private-api-catalog/plugin-private-api-common';
import { privateApiApiRef } from '../../api';
import { FactList, SectionTitle } from '../common/FactList';
import {
  accountLabel,
  formatAge,
  formatDate,
  formatDateTime,
} from '../common/format';
import { PrivateApiCard } from '../common/PrivateApiCard';

/** The API Gateway console page of an API (discovery writes the same link as the entity's view URL). */
function consoleUrl(api: ApiRecord): string {
  const host = `https://${api.region}.console.aws.amazon.com/apigateway/main`;
  return api.apiType === 'REST'
    ? `${host}/apis/${api.apiId}/resources?api=${api.apiId}&region=${api.region}`
    : `${host}/api-detail?api=${api.apiId}&region=${api.region}`;
}

/** The web ACL's name: the part of its ARN after `webacl/`. */
function webAclName(arn: string): string {
  return arn.split('/webacl/')[1]?.split('/')[0] ?? arn;
}

/** How fresh the data is; a failed last crawl is a warning that names the error. */
function Freshness(props: { scope?: ScopeStatus }) {
  const { scope } = props;
  if (!scope) {
    return (
      <Alert severity="info">
        No crawl status for this account and Region: the data may predate the
        current discovery configuration.
      </Alert>
    );
  }
  const where = `${accountLabel(scope.accountId, scope.accountName)} in ${
    scope.region
  }`;
  if (scope.status === 'stale') {
    return (
      <Alert severity="warning">
        <strong>Stale data.</strong> The last crawl of {where} failed
        {scope.lastFailureAt
          ? ` on ${formatDateTime(scope.lastFailureAt)}`
          : ''}
        {scope.lastErrorCode ? ` (${scope.lastErrorCode})` : ''}
        {scope.lastErrorMessage ? `: ${scope.lastErrorMessage}` : '.'} This page
        shows the last good data
        {scope.lastSuccessAt
          ? `, from ${formatDateTime(scope.lastSuccessAt)}`
          : ''}
        .
      </Alert>
    );
  }
  if (scope.status === 'never' || !scope.lastSuccessAt) {
    return (
      <Alert severity="info">
        {where} has not been crawled successfully yet.
      </Alert>
    );
  }
  return (
    <Typography variant="body2" color="textSecondary">
      Last crawled {formatDateTime(scope.lastSuccessAt)} (
      {formatAge(scope.lastSuccessAt)}).
    </Typography>
  );
}

const useStyles = makeStyles({ nowrap: { whiteSpace: 'nowrap' } });

function StagesTable(props: { api: ApiRecord }) {
  const { stages } = props.api;
  const classes = useStyles();
  if (stages.length === 0) {
    return (
      <Typography variant="body2">
        No stages: the API is not deployed, so it cannot be called. Its owner
        deploys it to a stage to make it callable.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Stages">
      <TableHead>
        <TableRow>
          {['Stage', 'Last deployed', 'Cache', 'WAF', 'Tracing'].map(title => (
            <TableCell key={title} className={classes.nowrap}>
              {title}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {stages.map(stage => (
          <TableRow key={stage.stageName}>
            <TableCell className={classes.nowrap}>{stage.stageName}</TableCell>
            <TableCell>
              {formatDateTime(stage.deployedAt ?? stage.lastUpdatedDate)}
              {stage.autoDeploy ? ' (auto-deploy)' : ''}
            </TableCell>
            <TableCell>
              {stage.cacheClusterEnabled
                ? `${stage.cacheClusterSize ?? '?'} GB${
                    stage.cacheClusterStatus
                      ? ` (${stage.cacheClusterStatus})`
                      : ''
                  }`
                : 'off'}
            </TableCell>
            <TableCell className={classes.nowrap}>
              {stage.webAclArn ? webAclName(stage.webAclArn) : 'none'}
            </TableCell>
            <TableCell className={classes.nowrap}>
              {stage.tracingEnabled ? 'X-Ray' : 'off'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Fetches the exported OpenAPI document and hands it to the browser as a file. */
function DefinitionDownload(props: { api: ApiRecord }) {
  const { api } = props;
  const client = useApi(privateApiApiRef);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const text = await client.getApiDefinition(api);
      const url = URL.createObjectURL(
        new Blob([text], { type: 'application/json' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `${api.name}-${api.apiId}.openapi.json`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        variant="outlined"
        size="small"
        onClick={download}
        disabled={busy}
      >
        Download OpenAPI definition
      </Button>
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
    </>
  );
}

function OverviewContent(props: {
  api: ApiRecord;
  scope?: ScopeStatus;
  consoleLink: string;
}) {
  const { api, scope, consoleLink } = props;
  const tags = Object.entries(api.tags);
  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      <Freshness scope={scope} />
      {api.description && (
        <Typography variant="body1">{api.description}</Typography>
      )}
      <FactList
        facts={[
          ['API', `${api.name} (${api.apiId})`],
          ['API type', api.apiType],
          ['Endpoint type', api.endpointType],
          ['Account', accountLabel(api.accountId, api.accountName)],
          ['Region', api.region],
          [
            'Default endpoint',
            api.disableExecuteApiEndpoint
              ? 'disabled (custom domains only)'
              : api.apiEndpoint,
          ],
          ['Created', formatDate(api.createdDate)],
        ]}
      />
      <div>
        <SectionTitle>Stages</SectionTitle>
        <StagesTable api={api} />
      </div>
      <div>
        <SectionTitle>Tags</SectionTitle>
        {tags.length ? (
          tags.map(([key, value]) => (
            <Chip key={key} size="small" label={`${key}: ${value}`} />
          ))
        ) : (
          <Typography variant="body2">
            No tags: owner, system and lifecycle come from the discovery
            defaults. Tag the API in AWS to set them.
          </Typography>
        )}
      </div>
      <Box display="flex" alignItems="center" gridGap={16} flexWrap="wrap">
        <Link to={consoleLink}>Open in the AWS console</Link>
        {api.apiType !== 'WEBSOCKET' && <DefinitionDownload api={api} />}
      </Box>
    </Box>
  );
}

/**
 * What the API is and where it lives: types, account, Region, stages, tags, links, and how
 * fresh the data is.
 *
 * @public
 */
export function PrivateApiOverviewCard() {
  const { entity } = useEntity();
  const viewUrl = entity.metadata.annotations?.[ANNOTATION_VIEW_URL];
  return (
    <PrivateApiCard title="API Gateway overview">
      {({ api, scope }) => (
        <OverviewContent
          api={api}
          scope={scope}
          consoleLink={viewUrl ?? consoleUrl(api)}
        />
      )}
    </PrivateApiCard>
  );
}
