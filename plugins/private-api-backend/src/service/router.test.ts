import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { privateApiPlugin } from '../plugin';

describe('private-api router', () => {
  it('answers /health without credentials', async () => {
    const { server } = await startTestBackend({
      features: [
        privateApiPlugin,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const response = await request(server).get('/api/private-api/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});
