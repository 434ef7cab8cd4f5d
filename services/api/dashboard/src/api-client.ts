// Calls the Sluice API on this origin with `Authorization: Bearer`, and unwraps the v4 envelope.

export class ApiFailure extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface ResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  total_pages?: number;
}

export interface ApiClient {
  get<T>(path: string, params?: Record<string, string>): Promise<{ result: T; resultInfo?: ResultInfo }>;
  put<T>(path: string, body: unknown): Promise<T>;
  /** An open streaming response (the live tail), or ApiFailure when it is refused. */
  stream(path: string, params: Record<string, string>, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

interface Envelope<T> {
  success: boolean;
  errors: { code: number; message: string }[];
  result: T;
  result_info?: ResultInfo;
}

/** Empty parameters are left out, so that a blank filter field means "no filter". */
export function withQuery(path: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== ''));
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

export function createApiClient(token: string, onUnauthorized: () => void): ApiClient {
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${token}`, accept: 'application/json', ...extra });

  const send = async (method: string, path: string, body?: unknown, accept?: string): Promise<Response> => {
    const response = await fetch(path, {
      method,
      headers: headers({ ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(accept ? { accept } : {}) }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
    if (!response.ok) {
      if (response.status === 401) onUnauthorized();
      throw new ApiFailure(response.status, await failureText(response));
    }
    return response;
  };

  return {
    async get<T>(path: string, params?: Record<string, string>) {
      const envelope = (await (await send('GET', withQuery(path, params))).json()) as Envelope<T>;
      return { result: envelope.result, ...(envelope.result_info ? { resultInfo: envelope.result_info } : {}) };
    },
    async put<T>(path: string, body: unknown) {
      return ((await (await send('PUT', path, body)).json()) as Envelope<T>).result;
    },
    async stream(path, params, signal) {
      const response = await fetch(withQuery(path, params), { headers: headers({ accept: 'text/event-stream' }), signal, credentials: 'omit', cache: 'no-store' });
      if (!response.ok || response.body === null) {
        if (response.status === 401) onUnauthorized();
        throw new ApiFailure(response.status, await failureText(response));
      }
      return response.body;
    },
  };
}

async function failureText(response: Response): Promise<string> {
  try {
    const envelope = (await response.json()) as Partial<Envelope<unknown>>;
    const messages = (envelope.errors ?? []).map((error) => error.message);
    if (messages.length > 0) return messages.join('; ');
  } catch {
    // Not the envelope: fall through to the status line.
  }
  return `HTTP ${response.status} ${response.statusText}`;
}
