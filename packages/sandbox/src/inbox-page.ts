import { createHash } from 'node:crypto';

// The page's only style and script, kept apart so INBOX_CSP can allow exactly them by hash.
const STYLE = `
  * { box-sizing: border-box; }
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1f2328; height: 100vh; display: flex; flex-direction: column; }
  header { padding: .6rem 1rem; border-bottom: 1px solid #d0d7de; display: flex; gap: 1rem; align-items: baseline; }
  header h1 { font-size: 1.05rem; margin: 0; }
  .muted { color: #656d76; font-size: 12px; }
  main { flex: 1; display: flex; min-height: 0; }
  aside { width: 280px; border-right: 1px solid #d0d7de; overflow-y: auto; }
  .conversation { padding: .6rem 1rem; border-bottom: 1px solid #eaeef2; cursor: pointer; }
  .conversation.selected { background: #ddf4ff; }
  .conversation .last { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: #656d76; }
  section { flex: 1; display: flex; flex-direction: column; min-width: 0; background: #efeae2; }
  #thread { flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .4rem; }
  .bubble { max-width: 70%; padding: .4rem .6rem; border-radius: 8px; background: #fff; box-shadow: 0 1px 1px #0002; white-space: pre-wrap; overflow-wrap: anywhere; }
  .bubble.outbound { align-self: flex-end; background: #d9fdd3; }
  .bubble .meta { font-size: 11px; color: #667781; text-align: right; margin-top: .2rem; }
  .tag { font-size: 10px; text-transform: uppercase; letter-spacing: .04em; color: #667781; }
  .ticks.read, .ticks.played { color: #53bdeb; }
  .ticks.failed { color: #d1242f; }
  .template { border-left: 3px solid #25d366; padding-left: .4rem; }
  .otp { font: 600 1.4rem ui-monospace, monospace; letter-spacing: .2em; }
  .actions { display: flex; flex-direction: column; gap: .2rem; margin-top: .4rem; }
  .actions button { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: .3rem; color: #0969da; cursor: pointer; }
  .bubble img, .bubble video { max-width: 100%; border-radius: 6px; display: block; }
  form { display: flex; gap: .4rem; padding: .6rem; border-top: 1px solid #d0d7de; background: #f6f8fa; }
  form input[name=text] { flex: 1; }
  #empty { margin: auto; color: #656d76; }
`;

const SCRIPT = `
  const messages = new Map();
  let selected = null;
  let credentials = null;
  let deliveries = 0;
  const mediaUrls = new Map();
  const empty = document.getElementById('empty');

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // A Meta customer known only by business-scoped user id has no number: the BSUID names the chat.
  const counterpart = (m) => (m.direction === 'inbound' ? m.from || m.userId : m.to);
  const sender = (who) => (/^[A-Z]{2}\\./.test(who) ? { userId: who } : { from: who });
  const time = (m) => new Date(m.createdAt).toLocaleTimeString();
  // Inbound Kirem payloads are the whole event; the message sits under data.
  const body = (m) => (m.direction === 'inbound' && m.provider === 'kirem' ? m.payload.data : m.payload) || {};

  function ticks(m) {
    if (m.direction === 'inbound') return el('span');
    const marks = { sent: '✓', delivered: '✓✓', read: '✓✓', played: '✓✓ ▶', failed: '⚠' };
    const span = el('span', 'ticks ' + m.status, ' ' + (marks[m.status] || '🕓'));
    span.title = m.status + (m.error ? ': ' + m.error.code + ' ' + m.error.title : '');
    return span;
  }

  async function reply(m, content) {
    await post('/api/v1/inbound', Object.assign({ provider: m.provider, from: m.to, replyTo: m.id }, content));
  }

  function interactive(m, node) {
    const i = body(m).interactive || {};
    const actions = el('div', 'actions');
    for (const button of (i.action && i.action.buttons) || []) {
      const r = button.reply || {};
      const b = el('button', '', r.title);
      b.type = 'button';
      b.onclick = () => reply(m, { button: { id: r.id, title: r.title } });
      actions.append(b);
    }
    for (const section of (i.action && i.action.sections) || []) {
      if (section.title) actions.append(el('span', 'tag', section.title));
      for (const row of section.rows || []) {
        const b = el('button', '', row.title + (row.description ? ' — ' + row.description : ''));
        b.type = 'button';
        b.onclick = () => reply(m, { list: { id: row.id, title: row.title, description: row.description } });
        actions.append(b);
      }
    }
    if (m.direction === 'outbound' && (m.provider === 'kirem' || m.provider === 'meta')) node.append(actions);
  }

  // Media sent by id lives behind the gateway's auth; fetch it with the sandbox's own credentials.
  function mediaSource(m, type) {
    const content = body(m)[type] || {};
    const link = content.link || body(m).mediaurl || body(m).content;
    if (typeof link === 'string') return Promise.resolve(link);
    if (!content.id || !credentials) return Promise.resolve(null);
    const key = m.provider + ':' + content.id;
    if (!mediaUrls.has(key)) {
      const c = credentials[m.provider];
      const url = m.provider === 'meta' ? c.baseUrl + '/media-download/' + content.id : c.baseUrl + '/v1/media/' + content.id + '/download';
      const token = m.provider === 'meta' ? c.accessToken : c.apiKey;
      mediaUrls.set(key, fetch(url, { headers: { authorization: 'Bearer ' + token } })
        .then((r) => (r.ok ? r.blob() : null)).then((blob) => (blob ? URL.createObjectURL(blob) : null)));
    }
    return mediaUrls.get(key);
  }

  function media(m, node) {
    const type = m.type;
    const holder = el('div');
    node.append(holder);
    mediaSource(m, type).then((src) => {
      if (!src) return;
      const tag = { image: 'img', sticker: 'img', video: 'video', audio: 'audio' }[type];
      const item = tag ? el(tag) : el('a', '', '📄 ' + ((body(m)[type] || {}).filename || 'document'));
      if (tag) { item.src = src; if (tag !== 'img') item.controls = true; } else { item.href = src; item.target = '_blank'; }
      // A file fetched here is saved, never opened: as a page it would run at the inbox's origin.
      if (!tag && src.startsWith('blob:')) item.download = (body(m)[type] || {}).filename || 'document';
      holder.append(item);
    });
    if (m.text && m.text !== '[' + type + ']') node.append(el('div', '', m.text));
  }

  function renderLocation(m, node) {
    const b = body(m);
    const l = b.location || b;
    let lat = l.latitude, lon = l.longitude;
    if (lat === undefined) [lat, lon] = m.text.split(',');
    const a = el('a', '', '📍 ' + m.text);
    a.href = 'https://www.openstreetmap.org/?mlat=' + lat + '&mlon=' + lon;
    a.target = '_blank';
    node.append(a);
  }

  function content(m, node) {
    if (m.type === 'template') {
      const t = el('div', 'template', m.text);
      node.append(el('div', 'tag', 'template ' + m.template.name + ' (' + m.template.language + ', ' + m.template.status + ')'), t);
    } else if (m.type === 'otp') {
      const code = (m.text.match(/\\d{4,8}/) || [''])[0];
      node.append(el('div', 'otp', code), el('div', 'muted', m.text));
    } else if (m.type === 'interactive') {
      node.append(el('div', '', (m.direction === 'inbound' ? '↩ ' : '') + m.text));
      interactive(m, node);
    } else if (['image', 'video', 'audio', 'document', 'sticker'].includes(m.type)) {
      media(m, node);
    } else if (m.type === 'location') {
      renderLocation(m, node);
    } else {
      node.append(el('div', '', m.text));
    }
  }

  function bubble(m) {
    const node = el('div', 'bubble ' + m.direction);
    node.append(el('div', 'tag', m.provider + ' · ' + m.type));
    content(m, node);
    const meta = el('div', 'meta', time(m));
    meta.append(ticks(m));
    node.append(meta);
    return node;
  }

  function render() {
    const all = [...messages.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    document.getElementById('count').textContent = String(all.length);
    document.getElementById('deliveries').textContent = String(deliveries);
    const byNumber = new Map();
    for (const m of all) {
      const key = counterpart(m);
      if (!byNumber.has(key)) byNumber.set(key, []);
      byNumber.get(key).push(m);
    }
    const list = [...byNumber.entries()].sort((a, b) => b[1].at(-1).createdAt.localeCompare(a[1].at(-1).createdAt));
    document.getElementById('conversations').replaceChildren(...list.map(([number, thread]) => {
      const item = el('div', 'conversation' + (number === selected ? ' selected' : ''));
      const providers = [...new Set(thread.map((m) => m.provider))].join(', ');
      item.append(el('div', '', number), el('div', 'tag', providers + ' · ' + thread.length), el('div', 'last', thread.at(-1).text));
      item.onclick = () => select(number);
      return item;
    }));
    const thread = document.getElementById('thread');
    const shown = selected ? byNumber.get(selected) || [] : [];
    const atBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
    thread.replaceChildren(...(shown.length ? shown.map(bubble) : [empty]));
    if (atBottom) thread.scrollTop = thread.scrollHeight;
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  }

  function select(number) {
    selected = number;
    document.querySelector('#composer [name=from]').value = number;
    const last = [...messages.values()].filter((m) => counterpart(m) === number).at(-1);
    if (last && ['kirem', 'meta', 'waviro'].includes(last.provider)) document.querySelector('#composer [name=provider]').value = last.provider;
    schedule();
  }

  function upsert(m) {
    messages.set(m.id, m);
    if (!selected) selected = counterpart(m);
    schedule();
  }

  async function post(path, payload) {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    if (!response.ok) alert((await response.json()).error || response.status);
    return response;
  }

  async function load() {
    credentials = (await (await fetch('/api/v1/info')).json()).credentials;
    const [list, log] = await Promise.all([
      fetch('/api/v1/messages?limit=500').then((r) => r.json()),
      fetch('/api/v1/webhooks/deliveries').then((r) => r.json()),
    ]);
    messages.clear();
    deliveries = log.deliveries.length;
    // Newest first from the API; inserted oldest first so same-millisecond messages keep their order.
    for (const m of [...list.messages].reverse()) messages.set(m.id, m);
    if (!selected && list.messages[0]) selected = counterpart(list.messages[0]);
    schedule();
  }

  document.getElementById('composer').onsubmit = async (event) => {
    event.preventDefault();
    const form = event.target;
    const response = await post('/api/v1/inbound', Object.assign({ provider: form.provider.value, text: form.text.value }, sender(form.from.value)));
    if (response.ok) { selected = counterpart((await response.json()).message); form.text.value = ''; }
  };

  // Subscribe first, then load, so nothing that happens in between is missed; upsert merges both.
  const events = new EventSource('/api/v1/events');
  const live = document.getElementById('live');
  events.onopen = () => { live.textContent = 'live'; load(); };
  events.onerror = () => { live.textContent = 'reconnecting…'; };
  events.addEventListener('message.created', (e) => upsert(JSON.parse(e.data)));
  events.addEventListener('message.status', (e) => upsert(JSON.parse(e.data)));
  events.addEventListener('delivery.created', () => { deliveries += 1; schedule(); });
  events.addEventListener('sandbox.reset', () => { selected = null; load(); });
`;

/**
 * The page served at '/': conversations per phone number as chat bubbles, updated live from
 * /api/v1/events. Buttons and list rows in sent messages post the customer's reply to
 * /api/v1/inbound. Plain DOM code in strings, so there is no build step and no dependency; text
 * is only ever set through textContent, so message content cannot inject markup.
 */
export const INBOX_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kabar-sandbox inbox</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>kabar-sandbox inbox</h1>
  <span class="muted"><span id="count">0</span> messages &middot; <span id="deliveries">0</span> webhook deliveries &middot; <span id="live">connecting…</span></span>
  <span class="muted">control API at <code>/api/v1</code></span>
</header>
<main>
  <aside id="conversations"></aside>
  <section>
    <div id="thread"><p id="empty">No messages yet. Send one through a gateway, or write in as a customer below.</p></div>
    <form id="composer">
      <select name="provider"><option>kirem</option><option>meta</option><option>waviro</option></select>
      <input name="from" placeholder="customer number, e.g. 6281234567890, or Meta BSUID" size="24" required>
      <input name="text" placeholder="Write as the customer…" required>
      <button>Send</button>
    </form>
  </section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;

const hash = (source: string) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`;

/**
 * The inbox's Content-Security-Policy: its own inline script and style, by hash, and nothing
 * else runs; it talks only to the sandbox; images and media come from message links or from
 * blobs of files it fetched; no other site may frame it, so clicks cannot be stolen.
 */
export const INBOX_CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  'img-src http: https: blob:',
  'media-src http: https: blob:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
