import type { EstateInput } from '@private-api-catalog/aws-simulator';

/** The producer's private API, its own endpoint, and a consumer's endpoints. */
export const PRODUCER = '222222222222';
export const CONSUMER = '444444444444';
export const API_ID = 'orders0001';
export const PRODUCER_VPCE = 'vpce-0aaaaaaaaaaaaaaa1';
export const CONSUMER_VPC = 'vpc-0bbbbbbbbbbbbbbb1';
export const CONSUMER_VPCE = 'vpce-0bbbbbbbbbbbbbbb1';
export const CONSUMER_VPC_WITHOUT_ENDPOINT = 'vpc-0ccccccccccccccc1';
export const CONSUMER_EU_VPCE = 'vpce-0ddddddddddddddd1';

/** A two-account estate for the access-request flow: the consumer's endpoint is not allowed yet. */
export function accessEstate(): EstateInput {
  return {
    mainAccount: '111111111111',
    accounts: [
      { id: '111111111111', name: 'platform', regions: { 'us-east-1': {} } },
      {
        id: PRODUCER,
        name: 'orders-prod',
        regions: {
          'us-east-1': {
            vpcs: [
              {
                id: 'vpc-0aaaaaaaaaaaaaaa1',
                name: 'orders',
                cidr: '10.1.0.0/16',
              },
            ],
            vpcEndpoints: [
              {
                id: PRODUCER_VPCE,
                vpc: 'vpc-0aaaaaaaaaaaaaaa1',
                privateDns: true,
              },
            ],
            restApis: [
              {
                id: API_ID,
                name: 'orders-internal',
                endpointType: 'PRIVATE',
                tags: { owner: 'team-orders' },
                policy: {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Principal: '*',
                      Action: 'execute-api:Invoke',
                      Resource: 'execute-api:/*',
                    },
                    {
                      Effect: 'Deny',
                      Principal: '*',
                      Action: 'execute-api:Invoke',
                      Resource: 'execute-api:/*',
                      Condition: {
                        StringNotEquals: { 'aws:SourceVpce': [PRODUCER_VPCE] },
                      },
                    },
                  ],
                },
                methods: ['GET /orders', 'POST /orders'],
                stages: [
                  { name: 'prod', traffic: 100 },
                  { name: 'dev', traffic: 1 },
                ],
              },
            ],
          },
        },
      },
      {
        id: CONSUMER,
        name: 'checkout-prod',
        regions: {
          'us-east-1': {
            vpcs: [
              { id: CONSUMER_VPC, name: 'checkout', cidr: '10.2.0.0/16' },
              {
                id: CONSUMER_VPC_WITHOUT_ENDPOINT,
                name: 'batch',
                cidr: '10.3.0.0/16',
              },
            ],
            vpcEndpoints: [
              { id: CONSUMER_VPCE, vpc: CONSUMER_VPC, privateDns: false },
            ],
          },
          'eu-west-1': {
            vpcs: [
              {
                id: 'vpc-0ddddddddddddddd1',
                name: 'checkout-eu',
                cidr: '10.4.0.0/16',
              },
            ],
            vpcEndpoints: [
              {
                id: CONSUMER_EU_VPCE,
                vpc: 'vpc-0ddddddddddddddd1',
                privateDns: true,
              },
            ],
          },
        },
      },
    ],
  };
}
