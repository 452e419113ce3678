// The one API client: same-origin fetch with the session cookie, the XSRF header on unsafe methods, JSON in and
// out, and one error type carrying the server's message. A 401 tells the app the session is over.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The error's JSON body, when it had one (e.g. the `problems` of a refused rule file). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const sessionEndListeners = new Set<() => void>();
/** Whether this page has had a session (auth/me answered): only then does a 401 mean it ended. */
let inSession = false;

/** Called when a request comes back 401 after the page had a session: it expired or was revoked. */
export function onSessionEnd(listener: () => void): () => void {
  sessionEndListeners.add(listener);
  return () => sessionEndListeners.delete(listener);
}

export function xsrfToken(cookies: string = document.cookie): string | undefined {
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'XSRF-TOKEN') return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** Query string from the defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const token = xsrfToken();
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check that it is running.');
  }
  const text = await response.text();
  const data = text && response.headers.get('Content-Type')?.includes('json') ? safeParse(text) : undefined;
  if (response.ok && path === '/api/v1/auth/me') inSession = true;
  if (!response.ok) {
    if (response.status === 401 && inSession && !path.startsWith('/api/v1/auth/')) {
      inSession = false;
      sessionEndListeners.forEach((l) => l());
    }
    const message =
      data && typeof data === 'object' && 'message' in data ? String((data as { message: unknown }).message) : text;
    throw new ApiError(response.status, message || `${response.status} ${response.statusText}`, data);
  }
  return data as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
