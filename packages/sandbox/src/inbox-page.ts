import { createHash } from 'node:crypto';
import type { InboxLabels } from './dialect.js';

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
  .failure { color: #d1242f; font-size: 12px; margin-top: .2rem; }
  .template { border-left: 3px solid #25d366; padding-left: .4rem; }
  .otp { font: 600 1.4rem ui-monospace, monospace; letter-spacing: .2em; }
  .actions { display: flex; flex-direction: column; gap: .2rem; margin-top: .4rem; }
  .actions button { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: .3rem; color: #0969da; cursor: pointer; }
  .actions .cta { display: block; text-align: center; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: .3rem; color: #0969da; text-decoration: none; }
  .actions button[disabled] { color: #656d76; cursor: default; }
  .bubble img, .bubble video { max-width: 100%; border-radius: 6px; display: block; }
  .header-text { font-weight: 600; }
  .header-media { margin-bottom: .3rem; }
  .footer { color: #667781; font-size: 12px; margin-top: .2rem; }
  .carousel { display: flex; gap: .5rem; overflow-x: auto; scroll-snap-type: x mandatory; padding: .4rem 0; max-width: 100%; }
  .carousel .card { flex: 0 0 200px; scroll-snap-align: start; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: .4rem; white-space: normal; }
  .products { border: 1px solid #d0d7de; border-radius: 6px; padding: .3rem .5rem; margin-top: .3rem; background: #fff; }
  .products .section-title { font-weight: 600; margin-top: .3rem; }
  .products .product::before { content: '🛍 '; }
  .conversation .last.typing, .typing-line { color: #1f883d; font-style: italic; }
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
  const counterpart = (m) => (m.direction === 'inbound' ? m.from || m.userId : m.to || m.userId);
  // Conversations the business showed a typing indicator in, until when (ms).
  const typing = new Map();
  const isTyping = (who) => (typing.get(who) || 0) > Date.now();
  const sender = (who) => (/^[A-Z]{2}\\./.test(who) ? { userId: who } : { from: who });
  const time = (m) => new Date(m.createdAt).toLocaleTimeString();
  // What the page knows of each gateway (see InboxLabels), by provider.
  const dialect = (m) => DIALECTS[m.provider] || {};
  // Some gateways store an inbound message as their whole webhook event (Kirem: under data).
  const body = (m) => {
    const field = m.direction === 'inbound' && dialect(m).inboundPayload;
    return (field ? m.payload[field] : m.payload) || {};
  };

  function ticks(m) {
    if (m.direction === 'inbound') return el('span');
    const marks = { sent: '✓', delivered: '✓✓', read: '✓✓', played: '✓✓ ▶', failed: '⚠' };
    const span = el('span', 'ticks ' + m.status, ' ' + (marks[m.status] || '🕓'));
    span.title = m.status + (m.error ? ': ' + m.error.code + ' ' + m.error.title : '');
    return span;
  }

  // The customer answers a sent message (a tapped button, a shared location) as its recipient.
  async function reply(m, content) {
    await post('/api/v1/inbound', Object.assign({ provider: m.provider, replyTo: m.id }, sender(counterpart(m)), content));
  }

  function button(label, onclick) {
    const b = el('button', '', label);
    b.type = 'button';
    if (onclick) b.onclick = onclick; else b.disabled = true;
    return b;
  }

  // A URL button: a real link, opened apart from the inbox. The gateway only takes http(s) URLs.
  function link(label, url) {
    const a = el('a', 'cta', '↗ ' + label);
    if (/^https?:/i.test(url || '')) a.href = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }

  // An interactive header: text, or an image, video or document by link or id.
  function header(m, h) {
    if (!h) return null;
    if (h.type === undefined || h.type === 'text') return el('div', 'header-text', h.text);
    const media = h[h.type] || {};
    const holder = el('div', 'header-media');
    mediaFrom(m, media).then((src) => {
      if (!src) return;
      const tag = { image: 'img', video: 'video' }[h.type];
      const item = tag ? el(tag) : el('a', '', '📄 ' + (media.filename || 'document'));
      if (tag) { item.src = src; if (tag === 'video') item.controls = true; } else { item.href = src; item.target = '_blank'; item.rel = 'noopener'; }
      if (!tag && src.startsWith('blob:')) item.download = media.filename || 'document';
      holder.append(item);
    });
    return holder;
  }

  // Products from the catalog: sections of retailer ids (a single product is one section).
  function products(catalogId, sections) {
    const box = el('div', 'products');
    box.append(el('div', 'tag', 'catalog ' + catalogId));
    for (const section of sections) {
      if (section.title) box.append(el('div', 'section-title', section.title));
      for (const item of section.product_items || []) box.append(el('div', 'product', item.product_retailer_id));
    }
    return box;
  }

  // Horizontally scrolling cards; a tapped quick-reply button answers like a reply button.
  function carousel(m, cards) {
    const row = el('div', 'carousel');
    for (const card of cards) {
      const node = el('div', 'card');
      const head = header(m, card.header);
      if (head) node.append(head);
      if (card.body && card.body.text) node.append(el('div', '', card.body.text));
      const actions = el('div', 'actions');
      const a = card.action || {};
      if (a.name === 'cta_url') actions.append(link((a.parameters || {}).display_text, (a.parameters || {}).url));
      for (const b of a.buttons || []) {
        const q = b.quick_reply || {};
        actions.append(button(q.title, () => reply(m, { button: { id: q.id, title: q.title } })));
      }
      node.append(actions);
      row.append(node);
    }
    return row;
  }

  function interactive(m, node) {
    const i = body(m).interactive || {};
    if (m.direction === 'inbound') {
      node.append(el('div', '', '↩ ' + m.text));
      return;
    }
    const head = header(m, i.header);
    if (head) node.append(head);
    if (i.body && i.body.text !== undefined) node.append(el('div', '', i.body.text));
    const a = i.action || {};
    const actions = el('div', 'actions');
    const after = [];
    switch (i.type) {
      case 'button':
        for (const b of a.buttons || []) {
          const r = b.reply || {};
          actions.append(button(r.title, () => reply(m, { button: { id: r.id, title: r.title } })));
        }
        break;
      case 'list':
        for (const section of a.sections || []) {
          if (section.title) actions.append(el('span', 'tag', section.title));
          for (const row of section.rows || []) {
            actions.append(button(row.title + (row.description ? ' — ' + row.description : ''),
              () => reply(m, { list: { id: row.id, title: row.title, description: row.description } })));
          }
        }
        break;
      case 'cta_url':
        actions.append(link((a.parameters || {}).display_text, (a.parameters || {}).url));
        break;
      case 'location_request_message':
        actions.append(button('📍 Send location', () =>
          reply(m, { location: { latitude: -6.175392, longitude: 106.827153, name: 'Monas', address: 'Jakarta' } })));
        break;
      case 'carousel':
        after.push(carousel(m, a.cards || []));
        break;
      case 'product':
        after.push(products(a.catalog_id, [{ product_items: [{ product_retailer_id: a.product_retailer_id }] }]));
        break;
      case 'product_list':
        after.push(products(a.catalog_id, a.sections || []));
        break;
      case 'catalog_message': {
        const thumbnail = (a.parameters || {}).thumbnail_product_retailer_id;
        if (thumbnail) after.push(el('div', 'tag', 'thumbnail ' + thumbnail));
        actions.append(button('🛍 View catalog'));
        break;
      }
      case 'flow': {
        const p = a.parameters || {};
        const screen = p.flow_action_payload && p.flow_action_payload.screen;
        const info = el('div', 'muted flow-info', 'Flow ' + (p.flow_id || p.flow_name) + ' · ' + (p.flow_action || 'navigate') +
          (screen ? ' → ' + screen : '') + ' · ' + (p.mode || 'published'));
        info.hidden = true;
        actions.append(button(p.flow_cta, () => { info.hidden = !info.hidden; }));
        after.push(info);
        break;
      }
    }
    node.append(...after);
    if (i.footer && i.footer.text) node.append(el('div', 'footer', i.footer.text));
    if (actions.childElementCount) node.append(actions);
  }

  function template(m, node) {
    const t = m.template || {};
    node.append(el('div', 'tag', 'template ' + t.name + ' (' + t.language + ', ' + t.status + ')'));
    const box = el('div', 'template');
    if (t.header) box.append(el('div', 'header-text', t.header));
    box.append(el('div', '', m.text));
    if (t.footer) box.append(el('div', 'footer', t.footer));
    node.append(box);
    const actions = el('div', 'actions');
    if (t.category === 'AUTHENTICATION' && t.code) {
      node.append(el('div', 'otp', t.code));
      const copy = button('⧉ ' + ((t.buttons && t.buttons[0]) || 'Copy code'), async () => {
        try {
          await navigator.clipboard.writeText(t.code);
          copy.textContent = '✓ Copied';
        } catch {
          copy.textContent = 'Code: ' + t.code;
        }
      });
      copy.classList.add('copy-code');
      actions.append(copy);
    } else {
      for (const label of t.buttons || []) actions.append(button(label));
    }
    if (actions.childElementCount) node.append(actions);
  }

  // Media sent by id lives behind the gateway's auth; fetch it with the sandbox's own credentials.
  function mediaSource(m, type) {
    const content = body(m)[type] || {};
    const link = content.link || body(m).mediaurl || body(m).content;
    if (typeof link === 'string') return Promise.resolve(link);
    return mediaById(m, content.id);
  }

  function mediaFrom(m, media) {
    return typeof media.link === 'string' ? Promise.resolve(media.link) : mediaById(m, media.id);
  }

  function mediaById(m, id) {
    if (!id || !credentials) return Promise.resolve(null);
    const download = dialect(m).mediaDownload;
    if (!download) return Promise.resolve(null);
    const key = m.provider + ':' + id;
    if (!mediaUrls.has(key)) {
      const c = credentials[m.provider];
      const url = c.baseUrl + download.path.replace('{id}', id);
      mediaUrls.set(key, fetch(url, { headers: { authorization: 'Bearer ' + c[download.token] } })
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
      template(m, node);
    } else if (m.type === 'otp') {
      const code = (m.text.match(/\\d{4,8}/) || [''])[0];
      node.append(el('div', 'otp', code), el('div', 'muted', m.text));
    } else if (m.type === 'interactive') {
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
    // Why a send failed, e.g. 131047 outside the 24-hour customer service window.
    if (m.status === 'failed' && m.error) {
      const why = m.error.details ? ' — ' + m.error.details : '';
      node.append(el('div', 'failure', '⚠ Not delivered: #' + m.error.code + ' ' + m.error.title + why));
    }
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
      const last = isTyping(number) ? el('div', 'last typing', 'typing…') : el('div', 'last', thread.at(-1).text);
      item.append(el('div', '', number), el('div', 'tag', providers + ' · ' + thread.length), last);
      item.onclick = () => select(number);
      return item;
    }));
    const thread = document.getElementById('thread');
    const shown = selected ? byNumber.get(selected) || [] : [];
    const atBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
    const bubbles = shown.length ? shown.map(bubble) : [empty];
    if (shown.length && isTyping(selected)) bubbles.push(el('div', 'typing-line', 'typing…'));
    thread.replaceChildren(...bubbles);
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
    if (last && dialect(last).composer) document.querySelector('#composer [name=provider]').value = last.provider;
    schedule();
  }

  function upsert(m) {
    messages.set(m.id, m);
    if (!selected) selected = counterpart(m);
    // WhatsApp drops the typing indicator once the business answers.
    if (m.direction === 'outbound') typing.delete(counterpart(m));
    schedule();
  }

  // A read receipt with a typing indicator shows "typing…" for 25 seconds, as WhatsApp does.
  function typingFor(read) {
    const m = read.typing && messages.get(read.messageId);
    if (!m) return;
    typing.set(counterpart(m), Date.now() + 25000);
    schedule();
    setTimeout(schedule, 25100);
  }

  async function post(path, payload) {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    if (!response.ok) alert((await response.json()).error || response.status);
    return response;
  }

  async function load() {
    // Clear before fetching, not after: a message the event stream brings while the fetch is in
    // flight must survive it (the list merges in below).
    messages.clear();
    credentials = (await (await fetch('/api/v1/info')).json()).credentials;
    const [list, log] = await Promise.all([
      fetch('/api/v1/messages?limit=500').then((r) => r.json()),
      fetch('/api/v1/webhooks/deliveries').then((r) => r.json()),
    ]);
    deliveries = log.deliveries.length;
    // Newest first from the API; inserted oldest first so same-millisecond messages keep their order.
    // What the event stream brought meanwhile is newer than the list: keep it.
    for (const m of [...list.messages].reverse()) if (!messages.has(m.id)) messages.set(m.id, m);
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
  events.addEventListener('read.created', (e) => typingFor(JSON.parse(e.data)));
  events.addEventListener('sandbox.reset', () => { selected = null; load(); });
`;

function html(script: string, composer: readonly string[]): string {
  return `<!doctype html>
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
      <select name="provider">${composer.map((name) => `<option>${name}</option>`).join('')}</select>
      <input name="from" placeholder="customer number, e.g. 6281234567890, or Meta BSUID" size="24" required>
      <input name="text" placeholder="Write as the customer…" required>
      <button>Send</button>
    </form>
  </section>
</main>
<script>${script}</script>
</body>
</html>
`;
}

const hash = (source: string) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`;

/**
 * The inbox's Content-Security-Policy: its own inline script and style, by hash, and nothing
 * else runs; it talks only to the sandbox; images and media come from message links or from
 * blobs of files it fetched; no other site may frame it, so clicks cannot be stolen.
 */
function csp(script: string): string {
  return [
    "default-src 'none'",
    `script-src ${hash(script)}`,
    `style-src ${hash(STYLE)}`,
    "connect-src 'self'",
    'img-src http: https: blob:',
    'media-src http: https: blob:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A gateway as the inbox sees it: its labels, and whether customers can write in through it. */
export interface InboxDialect extends InboxLabels {
  readonly name: string;
  readonly composer: boolean;
}

/**
 * The page served at '/': conversations per phone number (or business-scoped user id) as chat
 * bubbles, updated live from /api/v1/events. Reply buttons, list rows, carousel quick-reply
 * buttons and location requests in sent messages post the customer's answer to /api/v1/inbound;
 * URL buttons are links that open apart; templates show their header, footer and buttons, and an
 * authentication template its code with a Copy code button; a read receipt with a typing
 * indicator shows "typing…". Plain DOM code in strings, so there is no build step and no
 * dependency; text is only ever set through textContent, so message content cannot inject markup.
 */
export function inboxPage(dialects: readonly InboxDialect[]): { html: string; csp: string } {
  // Escaped so no label can close the script element early.
  const labels = JSON.stringify(Object.fromEntries(dialects.map((d) => [d.name, d]))).replace(
    /</g,
    '\\u003c',
  );
  const script = `\n  const DIALECTS = ${labels};${SCRIPT}`;
  const composer = dialects.filter((d) => d.composer).map((d) => d.name);
  return { html: html(script, composer), csp: csp(script) };
}
