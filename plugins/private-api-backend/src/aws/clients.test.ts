import { ConfigReader } from '@backstage/config';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { readPrivateApiConfig } from '../config/config';
import { AwsClientFactory } from './clients';

const credentialsManager = {
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => ({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
    }),
  }),
} as unknown as AwsCredentialsManager;

function factory() {
  return new AwsClientFactory({
    credentialsManager,
    config: readPrivateApiConfig(new ConfigReader({})),
  });
}

describe('AwsClientFactory.withScope', () => {
  afterEach(() => jest.restoreAllMocks());

  it("closes every client's connections after the work, also when it fails", async () => {
    const apigateway = jest.spyOn(APIGatewayClient.prototype, 'destroy');
    const cloudtrail = jest.spyOn(CloudTrailClient.prototype, 'destroy');

    const answer = await factory().withScope(
      '111111111111',
      'eu-west-1',
      {},
      async clients => {
        expect(apigateway).not.toHaveBeenCalled();
        return clients.partition;
      },
    );
    expect(answer).toBe('aws');
    expect(apigateway).toHaveBeenCalledTimes(1);
    expect(cloudtrail).toHaveBeenCalledTimes(1);

    await expect(
      factory().withScope('111111111111', 'cn-north-1', {}, async () => {
        throw new Error('AccessDenied');
      }),
    ).rejects.toThrow('AccessDenied');
    expect(apigateway).toHaveBeenCalledTimes(2);
    expect(cloudtrail).toHaveBeenCalledTimes(2);
  });
});
