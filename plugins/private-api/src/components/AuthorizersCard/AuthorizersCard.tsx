import { ReactNode } from 'react';
import { Box, Chip, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ApiRecord,
  AuthorizerRecord,
  RouteRecord,
  routeAuth,
} from '@private-api-catalog/plugin-private-api-common';
import { FactList } from '../common/FactList';
import { PrivateApiCard } from '../common/PrivateApiCard';

const AUTHORIZER_TYPE: Record<AuthorizerRecord['type'], string> = {
  TOKEN: 'Lambda authorizer (TOKEN)',
  REQUEST: 'Lambda authorizer (REQUEST)',
  COGNITO_USER_POOLS: 'Cognito user pool authorizer',
  JWT: 'JWT authorizer',
};

function RouteChips(props: { routes: RouteRecord[]; empty: string }) {
  if (props.routes.length === 0) {
    return <Typography variant="body2">{props.empty}</Typography>;
  }
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      gridGap={4}
      component="ul"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
    >
      {props.routes.map(route => (
        <li key={route.id}>
          <Chip
            size="small"
            label={`${route.routeKey}${
              route.authorizationScopes?.length
                ? ` (scope ${route.authorizationScopes.join(' or ')})`
                : ''
            }${route.apiKeyRequired ? ' + API key' : ''}`}
          />
        </li>
      ))}
    </Box>
  );
}

function AuthSection(props: {
  title: string;
  facts: Array<[string, ReactNode]>;
  routes: RouteRecord[];
}) {
  return (
    <Box
      component="section"
      aria-label={props.title}
      border={1}
      borderColor="divider"
      borderRadius={4}
      p={2}
    >
      <Typography variant="subtitle1" component="h3">
        {props.title}
      </Typography>
      {props.facts.length > 0 && <FactList facts={props.facts} />}
      <Typography
        variant="body2"
        component="h4"
        style={{ fontWeight: 500, marginTop: 8 }}
      >
        Routes
      </Typography>
      <RouteChips routes={props.routes} empty="No route uses it." />
    </Box>
  );
}

function authorizerFacts(
  api: ApiRecord,
  authorizer: AuthorizerRecord,
  routes: RouteRecord[],
): Array<[string, ReactNode]> {
  const facts: Array<[string, ReactNode]> = [];
  if (authorizer.lambdaArn)
    facts.push(['Lambda function', authorizer.lambdaArn]);
  if (authorizer.providerArns?.length) {
    facts.push(['User pools', authorizer.providerArns.join(', ')]);
  }
  if (authorizer.jwtIssuer) facts.push(['Issuer', authorizer.jwtIssuer]);
  if (authorizer.jwtAudience?.length) {
    facts.push(['Audiences', authorizer.jwtAudience.join(', ')]);
  }
  if (authorizer.identitySource?.length) {
    facts.push(['Identity sources', authorizer.identitySource.join(', ')]);
  }
  if (authorizer.resultTtlSeconds !== undefined) {
    facts.push([
      'Cached for',
      authorizer.resultTtlSeconds
        ? `${authorizer.resultTtlSeconds} s`
        : 'not cached',
    ]);
  }
  if (routes[0])
    facts.push(['Callers send', routeAuth(api, routes[0]).description]);
  return facts;
}

function AuthorizersContent(props: { api: ApiRecord }) {
  const { api } = props;
  if (api.routes.length === 0 && api.authorizers.length === 0) {
    return (
      <Typography variant="body2">
        The inventory lists no routes or authorizers for this API. If it has
        some in AWS, check that the discovery role may read them and wait for
        the next crawl.
      </Typography>
    );
  }
  const iamRoutes = api.routes.filter(r => r.authorizationType === 'AWS_IAM');
  // WebSocket APIs authorize once, at $connect: the other routes run on that connection and
  // cannot have an authorizer, so having none is no risk.
  const isWebSocket = api.apiType === 'WEBSOCKET';
  const openRoutes = api.routes.filter(
    r =>
      r.authorizationType === 'NONE' &&
      (!isWebSocket || r.routeKey === '$connect'),
  );
  const connectionRoutes = isWebSocket
    ? api.routes.filter(r => r.routeKey !== '$connect')
    : [];
  const keyRoutes = api.routes.filter(r => r.apiKeyRequired);
  const isPrivate = api.endpointType === 'PRIVATE';
  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      {openRoutes.length > 0 && (
        <Alert severity="warning">
          {openRoutes.length} route{openRoutes.length > 1 ? 's have' : ' has'}{' '}
          no authorization: {openRoutes.map(r => r.routeKey).join(', ')}.{' '}
          {isPrivate
            ? 'Any caller the resource policy lets in can call them.'
            : 'Anyone on the internet whom the resource policy does not deny can call them.'}
        </Alert>
      )}
      {connectionRoutes.length > 0 && (
        <Typography variant="body2">
          {connectionRoutes.map(r => r.routeKey).join(', ')}{' '}
          {connectionRoutes.length > 1 ? 'run' : 'runs'} on a connection that
          $connect authorized: WebSocket APIs authorize only when the connection
          opens.
        </Typography>
      )}
      {iamRoutes.length > 0 && (
        <AuthSection
          title="IAM (SigV4)"
          facts={[['Callers send', routeAuth(api, iamRoutes[0]).description]]}
          routes={iamRoutes}
        />
      )}
      {api.authorizers.map(authorizer => {
        const routes = api.routes.filter(r => r.authorizerId === authorizer.id);
        return (
          <AuthSection
            key={authorizer.id}
            title={`${AUTHORIZER_TYPE[authorizer.type]} ${authorizer.name}`}
            facts={authorizerFacts(api, authorizer, routes)}
            routes={routes}
          />
        );
      })}
      {keyRoutes.length > 0 && (
        <AuthSection
          title={`API key (${
            api.apiKeySource === 'AUTHORIZER'
              ? 'from the Lambda authorizer'
              : 'x-api-key header'
          })`}
          facts={[]}
          routes={keyRoutes}
        />
      )}
    </Box>
  );
}

/**
 * What callers must send: each authorizer (IAM, Cognito, Lambda, JWT) and the routes that use
 * it; routes without authorization flagged.
 *
 * @public
 */
export function PrivateApiAuthorizersCard() {
  return (
    <PrivateApiCard title="Authorizers">
      {({ api }) => <AuthorizersContent api={api} />}
    </PrivateApiCard>
  );
}
