import { Typography } from '@material-ui/core';
import { Link } from '@backstage/core-components';
import type {
  ApiRecord,
  RouteRecord,
} from '@private-api-catalog/plugin-private-api-common';

const DEPLOY_DOCS =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-deploy-api.html';

/** True when the route is missing from some of the API's stages. */
export function isPartlyDeployed(api: ApiRecord, route: RouteRecord): boolean {
  return (
    route.stages !== undefined &&
    route.stages.length < api.stages.filter(s => s.deploymentId).length
  );
}

/**
 * Says which version of the API the routes describe: the deployed one (what callers
 * reach), or the working copy of an API no stage runs yet.
 */
export function DeployedNote(props: { api: ApiRecord }) {
  const { api } = props;
  const source = api.detailsSource;
  if (!source) return null;
  if (source.kind === 'working-copy') {
    return (
      <Typography variant="body2" color="textSecondary">
        No stage runs this API yet: these routes are its working copy, which
        callers cannot reach until it is{' '}
        <Link to={DEPLOY_DOCS}>deployed to a stage</Link>.
      </Typography>
    );
  }
  const differ = api.routes.some(route => isPartlyDeployed(api, route));
  return (
    <Typography variant="body2" color="textSecondary">
      As deployed to stage {source.stageName}: what callers reach. Changes made
      in API Gateway since the last <Link to={DEPLOY_DOCS}>deployment</Link>{' '}
      show here once deployed.
      {differ &&
        ' The stages run different deployments: a route that only some stages have names them.'}
    </Typography>
  );
}
