import { addChange, ScopeChanges } from './changeEvents';

const base = {
  awsRegion: 'us-east-1',
  recipientAccountId: '111111111111',
};

function changesOf(...records: object[]) {
  const changes = new Map<string, ScopeChanges>();
  const named = records.map(r => addChange(changes, r));
  return { changes: [...changes.values()], named };
}

describe('addChange', () => {
  it('names the API of REST and v2 writes, and of a new API', () => {
    const { changes } = changesOf(
      {
        ...base,
        eventSource: 'apigateway.amazonaws.com',
        eventName: 'CreateDeployment',
        requestParameters: { restApiId: 'a1', createDeploymentInput: {} },
      },
      {
        ...base,
        eventSource: 'apigateway.amazonaws.com',
        eventName: 'UpdateRoute',
        requestParameters: { apiId: 'h1', routeId: 'r1' },
      },
      {
        ...base,
        eventSource: 'apigateway.amazonaws.com',
        eventName: 'CreateRestApi',
        requestParameters: { createRestApiInput: { name: 'x' } },
        responseElements: { id: 'new1' },
      },
    );
    expect(changes).toEqual([
      {
        accountId: '111111111111',
        region: 'us-east-1',
        apiIds: new Set(['a1', 'h1', 'new1']),
        scopeResources: false,
      },
    ]);
  });

  it('re-reads the scope resources for VPC endpoints, links and domains', () => {
    const { changes } = changesOf(
      {
        ...base,
        eventSource: 'ec2.amazonaws.com',
        eventName: 'ModifyVpcEndpoint',
        requestParameters: { VpcEndpointId: 'vpce-1' },
      },
      {
        ...base,
        awsRegion: 'eu-west-1',
        eventSource: 'apigateway.amazonaws.com',
        eventName: 'CreateDomainNameAccessAssociation',
        requestParameters: {},
      },
    );
    expect(
      changes.map(c => [c.region, c.scopeResources, c.apiIds.size]),
    ).toEqual([
      ['us-east-1', true, 0],
      ['eu-west-1', true, 0],
    ]);
  });

  it('ignores reads, failed calls and what the inventory does not show', () => {
    const { changes, named } = changesOf(
      {
        ...base,
        eventSource: 'apigateway.amazonaws.com',
        eventName: 'GetRestApis',
      },
      {
        ...base,
        eventSource: 'apigateway.amazonaws.com',
        eventName: 'UpdateRestApi',
        errorCode: 'AccessDenied',
        requestParameters: { restApiId: 'a1' },
      },
      {
        ...base,
        eventSource: 'apigateway.amazonaws.com',
        eventName: 'CreateApiKey',
      },
      { ...base, eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' },
    );
    expect(named).toEqual([false, false, false, false]);
    expect(changes).toEqual([]);
  });
});
