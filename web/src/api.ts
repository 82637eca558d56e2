// The one client of the function app's API (through the media container, same origin).
// The admin key is asked for once and kept for this browser session only (sessionStorage);
// the service key never reaches the browser: /voice/* routes use it on the server.
import type {
  ChatReply, Company, CompanySpec, ConversationDetail, ConversationRun, Customer, Dashboard, DocumentStatus,
  Email, Health, SyntheticRun, VoiceSession,
} from "./types";

const KEY = "adminKey";
export const KEY_REFUSED = "admin-key-refused";

export function adminKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setAdminKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** A refusal; a 401 on a request that carried the admin key means the key is wrong: it is forgotten and asked for again. */
async function errorOf(response: Response, withAdminKey: boolean): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (typeof body?.error === "string") message = body.error;
  } catch {
    // not JSON: keep the status line
  }
  if (response.status === 401 && withAdminKey) {
    setAdminKey(null);
    window.dispatchEvent(new Event(KEY_REFUSED));
  }
  return new ApiError(response.status, message);
}

/** A call of the API; a session's own routes (`session` headers) go without the admin key, so their 401 is the
 * session's, never the key's. */
async function request<T>(method: string, path: string, body?: unknown, session?: Record<string, string>): Promise<T> {
  const key = session ? null : adminKey();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(key ? { "x-functions-key": key } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...session,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "The server is not answering.");
  }
  if (!response.ok) throw await errorOf(response, key !== null);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** The health report; a 503 still carries it (something configured is down). */
export async function health(): Promise<Health> {
  const response = await fetch("/api/health");
  if (response.status !== 200 && response.status !== 503) throw new ApiError(response.status, "no health report");
  return response.json();
}

/** Uploads one document, reporting the share of bytes sent (0..1) as it goes. */
export function uploadDocument(file: File, onProgress: (sent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/admin/documents");
    const key = adminKey();
    if (key) xhr.setRequestHeader("x-functions-key", key);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
        return;
      }
      let message = `${xhr.status} ${xhr.statusText}`;
      try {
        message = JSON.parse(xhr.responseText).error ?? message;
      } catch {
        // keep the status line
      }
      if (xhr.status === 401) {
        setAdminKey(null);
        window.dispatchEvent(new Event(KEY_REFUSED));
      }
      reject(new ApiError(xhr.status, message));
    };
    xhr.onerror = () => reject(new ApiError(0, "The server is not answering."));
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

export const api = {
  documents: () => request<{ items: DocumentStatus[] }>("GET", "/api/admin/documents").then((r) => r.items),
  deleteDocument: (name: string) => request<unknown>("DELETE", `/api/admin/documents/${encodeURIComponent(name)}`),
  company: async (): Promise<Company | null> => {
    try {
      return await request<Company>("GET", "/api/admin/company");
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  deleteCompany: () => request<void>("DELETE", "/api/admin/company"),
  generate: (spec: CompanySpec) => request<{ id: string }>("POST", "/api/admin/synthetic", spec),
  run: (id: string) => request<SyntheticRun>("GET", `/api/admin/synthetic/${encodeURIComponent(id)}`),
  cancel: (id: string) => request<unknown>("POST", `/api/admin/synthetic/${encodeURIComponent(id)}/cancel`),
  productNames: () =>
    request<{ items: { id: string; name: string }[] }>("GET", "/api/admin/products").then((r) =>
      Object.fromEntries(r.items.map((p) => [p.id, p.name])),
    ),
  dashboard: () => request<Dashboard>("GET", "/api/admin/dashboard"),
  outbox: () => request<{ items: Email[] }>("GET", "/api/admin/outbox?limit=50").then((r) => r.items),
  customers: () => request<{ items: Customer[] }>("GET", "/api/admin/customers?limit=100").then((r) => r.items),
  conversations: () =>
    request<{ items: ConversationRun[] }>("GET", "/api/admin/conversations?limit=50").then((r) => r.items),
  conversation: (id: string) => request<ConversationDetail>("GET", `/api/admin/conversations/${encodeURIComponent(id)}`),
};

/** The voice chat's session, opened by the server with its service key (the admin key is the demo login). */
export const voice = {
  /** Whether this server carries voice, and the voices its engine offers besides the agent's own. */
  status: () => request<{ voice: boolean; voices: string[] }>("GET", "/voice/status"),
  open: (customerId: string) => request<VoiceSession>("POST", "/voice/sessions", { customer_id: customerId }),
  say: (session: VoiceSession, message: string) =>
    request<ChatReply>("POST", "/voice/chat", { message }, sessionHeaders(session)),
  end: (session: VoiceSession) => request<unknown>("POST", "/voice/end", undefined, sessionHeaders(session)),
};

function sessionHeaders(session: VoiceSession): Record<string, string> {
  return { "x-session-id": session.session_id, "x-session-token": session.token };
}
