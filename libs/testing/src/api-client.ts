/** A thin client for the gateway's REST API, for tests: returns status and parsed body. */
export class ApiClient {
  /** `apiKey`: sent as `Authorization: Bearer`; the gateway answers 401 without one. */
  constructor(readonly baseUrl: string, readonly apiKey?: string) {}

  async request<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {};
    const init: RequestInit = { method, headers };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** For scripts (benchmarks, the demo's checks): the parsed body of a 2xx answer; any other status throws, naming it. */
  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.request<T>(method, path, body);
    if (answer.status < 200 || answer.status >= 300) throw new Error(`${method} ${path} -> ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  uploadDataset(name: string, csv: string | Buffer, duplicationFactor = 1, filename = 'data.csv') {
    const form = new FormData();
    form.set('name', name);
    form.set('duplication_factor', String(duplicationFactor));
    form.set('file', new Blob([csv]), filename);
    return this.request('POST', '/datasets', form);
  }
}
