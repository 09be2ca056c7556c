import { dnsNameRank } from './scopeResources';

describe('dnsNameRank', () => {
  it("orders an endpoint's names regional first, zonal next, private DNS last", () => {
    const names = [
      'execute-api.us-east-1.amazonaws.com',
      '*.execute-api.us-east-1.amazonaws.com',
      'vpce-32024f650157d106c-19ahg5ab-us-east-1a.execute-api.us-east-1.vpce.amazonaws.com',
      'vpce-32024f650157d106c-19ahg5ab.execute-api.us-east-1.vpce.amazonaws.com',
    ];
    expect([...names].sort((a, b) => dnsNameRank(a) - dnsNameRank(b))).toEqual([
      'vpce-32024f650157d106c-19ahg5ab.execute-api.us-east-1.vpce.amazonaws.com',
      'vpce-32024f650157d106c-19ahg5ab-us-east-1a.execute-api.us-east-1.vpce.amazonaws.com',
      'execute-api.us-east-1.amazonaws.com',
      '*.execute-api.us-east-1.amazonaws.com',
    ]);
  });
});
