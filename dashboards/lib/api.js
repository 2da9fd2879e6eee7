// The dashboard server's API, as the pages use it: JSON reads, control requests with the token,
// and the events WebSocket. The token comes from the URL fragment the server prints
// (http://host:port/#token=...), which never reaches the server's logs, and is kept for the
// browser tab in sessionStorage.

const TOKEN_KEY = 'deploytwin.token';

/** The control token of this tab, taking it from a "#token=..." fragment if there is one. */
export function token() {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An error answer of the API: {error: {code, message}} and the HTTP status. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(`${message} [${code}]`);
    this.status = status;
    this.code = code;
  }
}

async function answer(response) {
  const text = await response.text();
  const body = text === '' ? null : JSON.parse(text);
  if (!response.ok) throw new ApiError(response.status, body?.error?.code ?? 'HTTP', body?.error?.message ?? response.statusText);
  return body;
}

export async function getJson(url) {
  return answer(await fetch(url, { headers: { accept: 'application/json' } }));
}

/** A request that changes something (POST, DELETE): sent with the tab's token. */
export async function control(method, url, body) {
  const headers = { accept: 'application/json' };
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return answer(await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

/**
 * Opens a run's event stream: live, or a replay at `speed` simulated seconds per second.
 * Handlers: hello(message), events(array), end(run), error(text). Returns the WebSocket.
 */
export function openEvents(runId, { speed, hello, events, end, error }) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = speed ? `?speed=${encodeURIComponent(speed)}` : '';
  const ws = new WebSocket(`${scheme}://${location.host}/api/runs/${encodeURIComponent(runId)}/events${query}`);
  let ended = false;
  ws.addEventListener('message', (m) => {
    const message = JSON.parse(m.data);
    if (message.type === 'hello') hello?.(message);
    else if (message.type === 'events') events?.(message.events);
    else if (message.type === 'end') {
      ended = true;
      end?.(message.run);
    }
  });
  ws.addEventListener('close', (e) => {
    if (!ended) error?.(`event stream closed (${e.code}${e.reason ? `: ${e.reason}` : ''})`);
  });
  return ws;
}

/** The query parameter `name` of this page's URL, or `fallback`. */
export function param(name, fallback = null) {
  return new URLSearchParams(location.search).get(name) ?? fallback;
}

/** Text content for a number of seconds: "831 s" or "13 min 51 s". */
export function seconds(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  if (x < 100) return `${x.toFixed(1)} s`;
  if (x < 3600) return `${x.toFixed(0)} s (${Math.floor(x / 60)} min ${Math.round(x % 60)} s)`;
  return `${x.toFixed(0)} s (${(x / 3600).toFixed(2)} h)`;
}

/** Shows `text` in the page's status line; `kind` "error" paints it red. */
export function status(text, kind = 'info') {
  const el = document.getElementById('status');
  if (!el) return;
  el.textContent = text;
  el.className = `status ${kind}`;
}
