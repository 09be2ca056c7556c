import { ReactNode } from 'react';
import { Box, Chip, Typography } from '@material-ui/core';
import { RELATION_DEPENDS_ON } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  ApiRecord,
  IntegrationTarget,
  integrationResourceEntityName,
  integrationResources,
  vpcLinkTarget,
} from '@private-api-catalog/plugin-private-api-common';
import { VerdictChip } from '../common/Availability';
import { FactList } from '../common/FactList';
import { PrivateApiCard } from '../common/PrivateApiCard';
import { groupByTarget, TargetGroup } from './groups';
import { DeployedNote, isPartlyDeployed } from './DeployedNote';

const LB_TYPE = {
  network: 'Network Load Balancer',
  application: 'Application Load Balancer',
  gateway: 'Gateway Load Balancer',
};

/** The last part of an ARN, after `function:`, `service/`, ... */
function resourceName(arn: string): string {
  return arn.split(/[:/]/).pop() ?? arn;
}

function linkStatusVerdict(status?: string) {
  if (status === 'AVAILABLE') return 'ok' as const;
  if (status === 'PENDING' || status === 'DELETING') return 'warning' as const;
  if (!status) return 'skipped' as const;
  return 'failed' as const;
}

function VpcLinkDetails(props: {
  api: ApiRecord;
  target: Extract<IntegrationTarget, { kind: 'vpc-link' }>;
}) {
  const { api, target } = props;
  const link = api.vpcLinks.find(l => l.id === target.vpcLinkId);
  const { loadBalancer, listener } = vpcLinkTarget(link, target);
  const facts: Array<[string, ReactNode]> = [
    [
      'Status',
      <Box display="flex" alignItems="center" gridGap={8} flexWrap="wrap">
        <VerdictChip
          verdict={linkStatusVerdict(link?.status)}
          label={link?.status ?? 'unknown'}
        />
        {link?.statusMessage && (
          <Typography variant="body2" component="span">
            {link.statusMessage}
          </Typography>
        )}
      </Box>,
    ],
  ];
  if (target.targetType === 'CLOUD_MAP') {
    facts.push([
      'Cloud Map service',
      target.targetArn
        ? `${resourceName(target.targetArn)} (${target.targetArn})`
        : '—',
    ]);
  } else if (loadBalancer) {
    facts.push([
      LB_TYPE[loadBalancer.type],
      `${loadBalancer.name}${
        loadBalancer.scheme ? `, ${loadBalancer.scheme}` : ''
      }${loadBalancer.state ? `, ${loadBalancer.state}` : ''}`,
    ]);
    if (loadBalancer.dnsName) facts.push(['DNS name', loadBalancer.dnsName]);
    facts.push([
      'Listener',
      listener
        ? `${listener.protocol ?? ''} ${listener.port ?? ''}`.trim() ||
          listener.arn
        : loadBalancer.listeners
            .map(l => `${l.protocol} ${l.port}`)
            .join(', ') || 'not in the inventory',
    ]);
  } else {
    facts.push([
      target.targetType === 'UNKNOWN' ? 'Target' : target.targetType,
      target.targetArn ?? target.uri ?? 'not in the inventory',
    ]);
  }
  return <FactList facts={facts} />;
}

function targetTitle(group: TargetGroup, api: ApiRecord): string {
  const target = group.target;
  if (!target) return 'No integration';
  switch (target.kind) {
    case 'lambda':
      return `Lambda function ${resourceName(target.functionArn)}`;
    case 'http':
      return `HTTP endpoint ${target.url}`;
    case 'aws-service':
      return `AWS service ${target.service}${
        target.action ? ` (${target.action})` : ''
      }`;
    case 'mock':
      return 'Mock (API Gateway answers without a backend)';
    default: {
      const link = api.vpcLinks.find(l => l.id === target.vpcLinkId);
      const to =
        target.targetType === 'CLOUD_MAP' ? 'Cloud Map' : target.targetType;
      return `VPC link ${link?.name ?? target.vpcLinkId} (${
        target.vpcLinkId
      }, ${target.vpcLinkVersion}) → ${to}`;
    }
  }
}

/**
 * The catalog's Resource entities of the Lambda functions and load balancers a target group
 * reaches, among those the API entity depends on (the catalog module writes them).
 */
function catalogResources(
  api: ApiRecord,
  group: TargetGroup,
  dependsOn: Set<string>,
): string[] {
  return integrationResources({
    ...api,
    integrations: group.integrations,
    authorizers: [],
  })
    .map(r => `resource:default/${integrationResourceEntityName(r)}`)
    .filter(ref => dependsOn.has(ref));
}

function TargetSection(props: {
  api: ApiRecord;
  group: TargetGroup;
  dependsOn: Set<string>;
}) {
  const { api, group, dependsOn } = props;
  const { target } = group;
  const inCatalog = catalogResources(api, group, dependsOn);
  const uris = [
    ...new Set(group.integrations.map(i => i.uri).filter(Boolean)),
  ] as string[];
  const types = [...new Set(group.integrations.map(i => i.type))];
  return (
    <Box
      component="section"
      aria-label={targetTitle(group, api)}
      border={1}
      borderColor="divider"
      borderRadius={4}
      p={2}
    >
      <Typography variant="subtitle1" component="h3">
        {targetTitle(group, api)}
      </Typography>
      {target?.kind === 'lambda' && (
        <Typography variant="body2" color="textSecondary">
          {target.functionArn}
        </Typography>
      )}
      {target?.kind === 'vpc-link' && (
        <VpcLinkDetails api={api} target={target} />
      )}
      {inCatalog.length > 0 && (
        <Typography variant="body2">
          In the catalog:{' '}
          {inCatalog.map((ref, i) => (
            <span key={ref}>
              {i > 0 && ', '}
              <EntityRefLink entityRef={ref} defaultKind="resource" />
            </span>
          ))}
        </Typography>
      )}
      {types.length > 0 && (
        <Typography variant="body2">
          Integration type: {types.join(', ')}
        </Typography>
      )}
      {uris.length > 0 && target?.kind !== 'lambda' && (
        <Typography variant="body2" style={{ overflowWrap: 'anywhere' }}>
          URI: {uris.join(', ')}
        </Typography>
      )}
      <Box
        mt={1}
        display="flex"
        flexWrap="wrap"
        gridGap={4}
        component="ul"
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
      >
        {group.routes.length ? (
          group.routes.map(route => (
            <li key={route.id}>
              <Chip
                size="small"
                label={
                  isPartlyDeployed(api, route)
                    ? `${route.routeKey} (${route.stages!.join(', ')} only)`
                    : route.routeKey
                }
              />
            </li>
          ))
        ) : (
          <Typography variant="body2" component="li">
            No route uses it.
          </Typography>
        )}
      </Box>
    </Box>
  );
}

function IntegrationContent(props: { api: ApiRecord }) {
  const { api } = props;
  const { entity } = useEntity();
  const dependsOn = new Set(
    (entity.relations ?? [])
      .filter(r => r.type === RELATION_DEPENDS_ON)
      .map(r => r.targetRef),
  );
  const groups = groupByTarget(api);
  if (groups.length === 0) {
    return (
      <Typography variant="body2">
        The inventory lists no routes or integrations for this API. If it has
        some in AWS, check that the discovery role may read them
        (apigateway:GET) and wait for the next crawl.
      </Typography>
    );
  }
  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      <DeployedNote api={api} />
      {groups.map(group => (
        <TargetSection
          key={group.key}
          api={api}
          group={group}
          dependsOn={dependsOn}
        />
      ))}
    </Box>
  );
}

/**
 * What is behind the API: each target (Lambda function, HTTP URL, AWS service, mock, VPC link
 * to a load balancer or Cloud Map service) with the routes that reach it.
 *
 * @public
 */
export function PrivateApiIntegrationCard() {
  return (
    <PrivateApiCard title="Integrations">
      {({ api }) => <IntegrationContent api={api} />}
    </PrivateApiCard>
  );
}
