import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import type { BlobStore } from '@yardstick/blob-store';
import { StageBatchRequest } from '@yardstick/contracts';
import type { EndpointResolver, ResolvedEndpoint } from '../providers/endpoint.resolver';
import { ProviderBatchesService } from './provider-batches.service';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * The Batches API as OpenAI answers it, over the SDK's own fetch: a batch that has ended cannot be cancelled (409);
 * `cancelStatus` forces another answer to every cancel (429: rate limited).
 */
function fakeProvider(batches: Map<string, string>, cancelStatus?: number): OpenAI {
  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const [, id, action] = new URL(String(url)).pathname.match(/^\/v1\/batches\/([^/]+)(\/cancel)?$/) ?? [];
    const status = batches.get(id);
    if (!status) return json(404, { error: { message: `No batch found with id '${id}'.`, type: 'invalid_request_error' } });
    if (action && init?.method === 'POST') {
      if (cancelStatus) return json(cancelStatus, { error: { message: 'refused', type: 'requests' } });
      if (status !== 'validating' && status !== 'in_progress') {
        return json(409, { error: { message: `Cannot cancel a batch with status '${status}'.`, type: 'invalid_request_error' } });
      }
      batches.set(id, 'cancelling');
    }
    return json(200, { id, object: 'batch', status: batches.get(id) });
  };
  return new OpenAI({ baseURL: 'http://provider.test/v1', apiKey: 'x', maxRetries: 0, fetch: fetch as typeof globalThis.fetch });
}

describe(ProviderBatchesService.name, () => {
  const serviceWith = (client: OpenAI) => {
    const endpoints = { resolve: async () => ({ client, supportsBatch: true }) as ResolvedEndpoint } as unknown as EndpointResolver;
    return new ProviderBatchesService(endpoints, {} as BlobStore);
  };
  const cancelRequest = (providerBatchId: string): StageBatchRequest => ({ projectId: randomUUID(), stageBatchId: randomUUID(), providerBatchId });

  describe('cancel', () => {
    it('cancels a batch still running, and a second cancel is harmless', async () => {
      const batches = new Map([['batch_1', 'in_progress']]);
      const sut = serviceWith(fakeProvider(batches));

      expect(await sut.cancel(cancelRequest('batch_1'))).toEqual({ status: 'cancelling' });
      expect(await sut.cancel(cancelRequest('batch_1'))).toEqual({ status: 'cancelling' });
      expect(batches.get('batch_1')).toBe('cancelling');
    });

    it.each(['completed', 'failed', 'expired', 'cancelled', 'finalizing'])(
      'answers the status of a %s batch the provider refuses to cancel, without an error',
      async (status) => {
        const sut = serviceWith(fakeProvider(new Map([['batch_1', status]])));

        expect(await sut.cancel(cancelRequest('batch_1'))).toEqual({ status });
      },
    );

    it('fails when the provider refused a batch that is still running (rate limited), so the caller asks again', async () => {
      const sut = serviceWith(fakeProvider(new Map([['batch_1', 'in_progress']]), 429));

      await expect(sut.cancel(cancelRequest('batch_1'))).rejects.toMatchObject({ status: 429 });
    });

    it('fails for a batch the provider does not know', async () => {
      const sut = serviceWith(fakeProvider(new Map()));

      await expect(sut.cancel(cancelRequest('batch_unknown'))).rejects.toMatchObject({ status: 404 });
    });
  });
});
