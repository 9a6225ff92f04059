import { createHash } from 'node:crypto';
import type { InboxLabels } from './dialect.js';
import { KIREM_MESSAGE_TYPES } from './dialects/kirem/routing.js';
import { MESSAGE_STATUSES } from './message-search.js';

/** The kinds the filter offers: every `type` a gateway stores. */
const KINDS = [
  'text',
  'template',
  'interactive',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'poll',
  'otp',
];

// The page's only style and script, kept apart so INBOX_CSP can allow exactly them by hash.
const STYLE = `
  :root {
    color-scheme: light dark;
    --bg: #ffffff; --fg: #1f2328; --muted: #656d76; --border: #d0d7de; --line: #eaeef2;
    --panel: #f6f8fa; --chat: #efeae2; --in: #ffffff; --out: #d9fdd3; --card: #ffffff;
    --accent: #0969da; --selected: #ddf4ff; --danger: #d1242f; --ok: #1f883d; --meta: #667781;
    --mark: #fff8c5; --shadow: #0002;
  }
  @media (prefers-color-scheme: dark) {
    :root {
      --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #30363d; --line: #21262d;
      --panel: #161b22; --chat: #0b141a; --in: #202c33; --out: #005c4b; --card: #1b252c;
      --accent: #4493f8; --selected: #1c2d41; --danger: #ff7b72; --ok: #3fb950; --meta: #8696a0;
      --mark: #5a4a00; --shadow: #0008;
    }
  }
  * { box-sizing: border-box; }
  [hidden] { display: none !important; }
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: var(--fg); background: var(--bg); height: 100vh; height: 100dvh; display: flex; flex-direction: column; }
  button, input, select { font: inherit; color: inherit; }
  input, select { background: var(--bg); border: 1px solid var(--border); border-radius: 6px; padding: .3rem .4rem; min-width: 0; }
  a { color: var(--accent); }
  code { font: 12px ui-monospace, monospace; }
  header { padding: .45rem 1rem; border-bottom: 1px solid var(--border); display: flex; flex-wrap: wrap; gap: .3rem 1rem; align-items: center; background: var(--panel); }
  header h1 { font-size: 1rem; margin: 0; }
  .tabs { display: flex; gap: .25rem; }
  .tab { border: 1px solid transparent; background: none; padding: .25rem .6rem; border-radius: 6px; cursor: pointer; }
  .tab[aria-selected=true] { background: var(--bg); border-color: var(--border); font-weight: 600; }
  .muted { color: var(--muted); font-size: 12px; }
  .tool { border: 1px solid var(--border); background: var(--bg); border-radius: 6px; padding: .25rem .6rem; cursor: pointer; }
  .tool:hover { border-color: var(--accent); }
  .tool.danger { color: var(--danger); }
  .view { flex: 1; min-height: 0; display: flex; position: relative; }
  #list-pane { width: 320px; flex: none; border-right: 1px solid var(--border); display: flex; flex-direction: column; min-height: 0; }
  #search-form { padding: .5rem; border-bottom: 1px solid var(--border); display: flex; flex-direction: column; gap: .35rem; }
  .filters { display: grid; grid-template-columns: 1fr 1fr; gap: .3rem; }
  #conversations { flex: 1; overflow-y: auto; }
  #more-conversations { margin: .5rem; }
  .conversation { padding: .55rem 1rem; border-bottom: 1px solid var(--line); cursor: pointer; }
  .conversation:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
  .conversation.selected { background: var(--selected); }
  .conversation-top { display: flex; justify-content: space-between; gap: .5rem; }
  .conversation .who { font-weight: 600; overflow-wrap: anywhere; }
  .conversation .last { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: var(--muted); }
  .empty-list { padding: 1rem; }
  mark { background: var(--mark); color: inherit; }
  #thread-pane { flex: 1; display: flex; flex-direction: column; min-width: 0; background: var(--chat); position: relative; }
  .thread-head { display: flex; align-items: center; gap: .5rem; padding: .4rem 1rem; background: var(--panel); border-bottom: 1px solid var(--border); min-height: 2.5rem; overflow-wrap: anywhere; }
  #back { display: none; }
  #thread { flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .4rem; }
  #older { align-self: center; }
  #jump { position: absolute; right: 1rem; bottom: 4.2rem; box-shadow: 0 2px 6px var(--shadow); }
  .bubble { max-width: min(70%, 42rem); align-self: flex-start; padding: .4rem .6rem; border-radius: 8px; background: var(--in); box-shadow: 0 1px 1px var(--shadow); white-space: pre-wrap; overflow-wrap: anywhere; }
  .bubble.outbound { align-self: flex-end; background: var(--out); }
  .bubble.match { outline: 2px solid var(--accent); }
  .bubble.viewing { box-shadow: 0 0 0 2px var(--accent); }
  .bubble .meta { font-size: 11px; color: var(--meta); text-align: right; margin-top: .2rem; }
  .details-button { border: 1px solid currentColor; border-radius: 50%; background: none; color: var(--meta); cursor: pointer; width: 1.45em; height: 1.45em; padding: 0; margin-left: .35rem; font: italic 600 10px/1 Georgia, serif; vertical-align: 1px; }
  .details-button:hover, .details-button:focus-visible { color: var(--accent); }
  .tag { font-size: 10px; text-transform: uppercase; letter-spacing: .04em; color: var(--meta); }
  .ticks.read, .ticks.played { color: #53bdeb; }
  .ticks.failed { color: var(--danger); }
  .failure { color: var(--danger); font-size: 12px; margin-top: .2rem; }
  .template { border-left: 3px solid #25d366; padding-left: .4rem; }
  .otp { font: 600 1.4rem ui-monospace, monospace; letter-spacing: .2em; }
  .actions { display: flex; flex-direction: column; gap: .2rem; margin-top: .4rem; }
  .actions button { background: var(--card); border: 1px solid var(--border); border-radius: 6px; padding: .3rem; color: var(--accent); cursor: pointer; }
  .actions .cta { display: block; text-align: center; background: var(--card); border: 1px solid var(--border); border-radius: 6px; padding: .3rem; color: var(--accent); text-decoration: none; }
  .actions button[disabled] { color: var(--muted); cursor: default; }
  .bubble img, .bubble video { max-width: 100%; border-radius: 6px; display: block; }
  .bubble img.sticker { max-width: 8rem; }
  .bubble audio { max-width: 100%; display: block; }
  .header-text { font-weight: 600; }
  .header-media { margin-bottom: .3rem; }
  .footer { color: var(--meta); font-size: 12px; margin-top: .2rem; }
  .carousel { display: flex; gap: .5rem; overflow-x: auto; scroll-snap-type: x mandatory; padding: .4rem 0; max-width: 100%; }
  .carousel .card { flex: 0 0 200px; scroll-snap-align: start; background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: .4rem; white-space: normal; }
  .products, .contact-card { border: 1px solid var(--border); border-radius: 6px; padding: .3rem .5rem; margin-top: .3rem; background: var(--card); white-space: normal; }
  .products .section-title { font-weight: 600; margin-top: .3rem; }
  .products .product::before { content: '🛍 '; }
  .contact-card .contact-name { font-weight: 600; }
  .contact-card .contact-name::before { content: '👤 '; }
  .poll-title { font-weight: 600; }
  .poll-option { border: 1px solid var(--border); border-radius: 6px; padding: .2rem .5rem; margin-top: .25rem; background: var(--card); }
  .poll-option::before { content: '○ '; }
  .reaction { font-size: 1.6rem; line-height: 1.2; }
  .conversation .last.typing, .typing-line { color: var(--ok); font-style: italic; }
  #composer { display: flex; gap: .4rem; padding: .6rem; border-top: 1px solid var(--border); background: var(--panel); }
  #composer input[name=text] { flex: 1; }
  #empty { margin: auto; color: var(--muted); text-align: center; }
  #detail { width: 420px; flex: none; border-left: 1px solid var(--border); background: var(--bg); overflow-y: auto; padding: .8rem 1rem; }
  .detail-head { display: flex; justify-content: space-between; align-items: center; gap: .5rem; }
  #detail h2, .page h2 { font-size: 1rem; margin: 0; }
  #detail h3 { font-size: 11px; margin: 1rem 0 .3rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
  pre { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: .5rem; margin: .2rem 0; white-space: pre-wrap; overflow-wrap: anywhere; font: 12px/1.45 ui-monospace, monospace; max-height: 24rem; overflow: auto; }
  table.kv { border-collapse: collapse; width: 100%; table-layout: fixed; font: 12px/1.4 ui-monospace, monospace; }
  table.kv td { border-bottom: 1px solid var(--line); padding: .15rem .3rem; vertical-align: top; overflow-wrap: anywhere; }
  table.kv td:first-child { width: 36%; color: var(--muted); }
  .history { margin: 0; padding-left: 1.1rem; }
  .page-view { overflow-y: auto; padding: 1rem; }
  .page { max-width: 72rem; width: 100%; margin: 0 auto; }
  .page-head { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin-bottom: .6rem; }
  .box { border: 1px solid var(--border); border-radius: 8px; padding: .7rem 1rem; margin-bottom: 1rem; background: var(--card); }
  .box h2 { margin-bottom: .4rem !important; }
  .row { display: flex; flex-wrap: wrap; gap: .4rem .6rem; align-items: center; padding: .35rem 0; border-bottom: 1px solid var(--line); }
  .row:last-child { border-bottom: 0; }
  .grow { flex: 1; min-width: 10rem; overflow-wrap: anywhere; }
  .delivery { border: 1px solid var(--border); border-radius: 8px; padding: .5rem .7rem; margin-bottom: .5rem; background: var(--card); }
  .delivery-head { display: flex; flex-wrap: wrap; gap: .3rem .8rem; align-items: center; }
  .badge { font: 600 12px ui-monospace, monospace; padding: .05rem .45rem; border-radius: 999px; border: 1px solid currentColor; }
  .badge.ok { color: var(--ok); }
  .badge.bad { color: var(--danger); }
  .url { font: 12px ui-monospace, monospace; overflow-wrap: anywhere; color: var(--muted); }
  summary { cursor: pointer; color: var(--accent); margin: .3rem 0; }
  #fault-form, #kirem-target-form, #kirem-retry-form { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin: .4rem 0; }
  #fault-form input[type=number] { width: 7rem; }
  #fault-form input[name=probability] { width: 8.5rem; }
  #kirem-target-form input[name=url] { flex: 1 1 16rem; }
  #kirem-retry-form input { flex: 0 1 16rem; }
  .hint { margin: .2rem 0 .4rem; }
  #toasts { position: fixed; bottom: 1rem; right: 1rem; display: flex; flex-direction: column; gap: .4rem; z-index: 20; max-width: min(28rem, calc(100vw - 2rem)); }
  .toast { background: var(--panel); border: 1px solid var(--border); border-left: 4px solid var(--accent); border-radius: 6px; padding: .5rem .6rem; box-shadow: 0 2px 8px var(--shadow); display: flex; gap: .5rem; align-items: flex-start; overflow-wrap: anywhere; }
  .toast.error { border-left-color: var(--danger); }
  .toast-text { flex: 1; }
  .toast-close { border: 0; background: none; cursor: pointer; color: var(--muted); }
  @media (max-width: 1100px) {
    #detail { position: absolute; top: 0; right: 0; bottom: 0; z-index: 5; box-shadow: -4px 0 12px var(--shadow); }
    .hide-narrow { display: none; }
  }
  @media (max-width: 700px) {
    header { padding: .4rem .6rem; }
    #list-pane { width: 100%; border-right: 0; }
    #view-inbox.thread-open #list-pane, #view-inbox:not(.thread-open) #thread-pane { display: none; }
    #back { display: inline-block; }
    #thread { padding: .6rem; }
    .bubble { max-width: 88%; }
    #composer { flex-wrap: wrap; }
    #composer input[name=from] { flex: 1 1 9rem; }
    #composer input[name=text] { flex: 1 1 12rem; }
    #detail { position: fixed; inset: 0; width: auto; z-index: 10; }
    .page-view { padding: .6rem; }
  }
`;

const SCRIPT = `
  const PAGE = 100;
  const LIST_PAGE = 50;
  const $ = (id) => document.getElementById(id);
  const inbox = $('view-inbox');
  const threadBox = $('thread');
  const empty = $('empty');
  const composer = $('composer');

  // What the page shows, loaded from the control API and kept current by the event stream.
  let credentials = null;
  let conversations = [];
  let conversationTotal = 0;
  let listLimit = LIST_PAGE;
  let selected = null;
  let thread = new Map();
  let threadTotal = 0;
  let threadFetched = 0;
  let threadArrived = 0;
  let bubbles = new Map();
  // True while a conversation's first pages load: what the stream brings meanwhile waits in thread.
  let loading = false;
  let stick = true;
  let detailId = null;
  let view = 'inbox';
  let messageTotal = 0;
  let deliveries = null;
  let deliveryCount = 0;
  const mediaUrls = new Map();
  // Messages as the event stream last brought them, numbered, so a fetch that was already under
  // way when a newer version arrived does not put the older one back.
  let seq = 0;
  const fresh = new Map();
  // Conversations the business showed a typing indicator in, until when (ms).
  const typing = new Map();

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  const query = (params) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== '' && value != null) search.set(key, String(value));
    const text = search.toString();
    return text ? '?' + text : '';
  };
  // A Meta customer known only by business-scoped user id has no number: the BSUID names the chat.
  const counterpart = (m) => (m.direction === 'inbound' ? m.from || m.userId : m.to || m.userId);
  const isTyping = (who) => (typing.get(who) || 0) > Date.now();
  const sender = (who) => (/^[A-Z]{2}\\./.test(who) ? { userId: who } : { from: who });
  const time = (m) => new Date(m.createdAt).toLocaleTimeString();
  const clockTime = (iso) => { const d = new Date(iso); return d.toLocaleTimeString() + '.' + String(d.getMilliseconds()).padStart(3, '0'); };
  const isLink = (url) => typeof url === 'string' && /^(https?:|blob:)/i.test(url);
  // What the page knows of each gateway (see InboxLabels), by provider.
  const dialect = (m) => DIALECTS[m.provider] || {};
  // Some gateways store an inbound message as their whole webhook event (Kirem: under data).
  const body = (m) => {
    const field = m.direction === 'inbound' && dialect(m).inboundPayload;
    const payload = (field ? (m.payload || {})[field] : m.payload) || {};
    return typeof payload === 'object' ? payload : {};
  };

  // ---- errors and notices: shown on the page, never in a blocking dialog

  function notify(text, kind) {
    const toast = el('div', 'toast ' + (kind || 'info'));
    toast.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    const close = el('button', 'toast-close', '✕');
    close.type = 'button';
    close.setAttribute('aria-label', 'Dismiss');
    close.onclick = () => toast.remove();
    toast.append(el('span', 'toast-text', text), close);
    $('toasts').append(toast);
    setTimeout(() => toast.remove(), kind === 'error' ? 10000 : 4000);
  }
  window.addEventListener('unhandledrejection', (event) => notify('Unexpected error: ' + (event.reason && event.reason.message || event.reason), 'error'));

  // Every control call goes through here, so a failure is shown instead of lost. Null on failure.
  async function api(method, path, payload) {
    const init = method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' } };
    if (payload !== undefined) init.body = JSON.stringify(payload);
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      notify('The sandbox did not answer ' + method + ' ' + path + ': ' + error.message, 'error');
      return null;
    }
    if (response.status === 204) return {};
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      notify(method + ' ' + path + ' failed (' + response.status + '): ' + (answer.error || response.statusText), 'error');
      return null;
    }
    return answer;
  }

  // ---- message bubbles

  function ticks(m) {
    if (m.direction === 'inbound') return el('span');
    const marks = { sent: '✓', delivered: '✓✓', read: '✓✓', played: '✓✓ ▶', failed: '⚠' };
    const span = el('span', 'ticks ' + m.status, ' ' + (marks[m.status] || '🕓'));
    span.title = m.status + (m.error ? ': ' + m.error.code + ' ' + m.error.title : '');
    return span;
  }

  // The customer answers a sent message (a tapped button, a shared location) as its recipient.
  async function reply(m, content) {
    await api('POST', '/api/v1/inbound', Object.assign({ provider: m.provider, replyTo: m.id }, sender(counterpart(m)), content));
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

  // Text with its http(s) URLs as links (a Wablas link preview, a URL a customer pasted).
  function linked(text) {
    const node = el('div');
    const parts = String(text).split(/(https?:\\/\\/[^\\s]+)/g);
    parts.forEach((part, index) => {
      if (index % 2 === 0) { if (part) node.append(part); return; }
      const a = el('a', '', part);
      a.href = part;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      node.append(a);
    });
    return node;
  }

  // A fetched or linked file as the element that shows it; a file fetched here is saved, never
  // opened: as a page it would run at the inbox's origin.
  function mediaElement(type, src, filename) {
    if (!isLink(src)) return null;
    const tag = { image: 'img', sticker: 'img', video: 'video', audio: 'audio' }[type];
    if (!tag) {
      const a = el('a', '', '📄 ' + (filename || 'document'));
      a.href = src;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      if (src.startsWith('blob:')) a.download = filename || 'document';
      return a;
    }
    const item = el(tag, type === 'sticker' ? 'sticker' : '');
    item.src = src;
    if (tag === 'img') { item.alt = type; item.addEventListener('load', keepAtBottom); }
    else { item.controls = true; item.preload = 'metadata'; item.addEventListener('loadedmetadata', keepAtBottom); }
    return item;
  }

  // An interactive header: text, or an image, video or document by link or id.
  function header(m, h) {
    if (!h) return null;
    if (h.type === undefined || h.type === 'text') return el('div', 'header-text', h.text);
    const media = h[h.type] || {};
    const holder = el('div', 'header-media');
    mediaFrom(m, media).then((src) => {
      const item = mediaElement(h.type, src, media.filename);
      if (item) holder.append(item);
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
        if (a.button) actions.append(el('span', 'tag', '☰ ' + a.button));
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

  // Where a message's file is: a link in the request, under the name each gateway gives it, or a
  // stored file fetched by id.
  function mediaSource(m, type) {
    const b = body(m);
    const content = b[type];
    if (typeof content === 'string') return Promise.resolve(content);
    const c = content || {};
    const found = [c.link, b.mediaurl, b.media_url, b.url, b.content].find((candidate) => typeof candidate === 'string');
    return found ? Promise.resolve(found) : mediaById(m, c.id);
  }

  function mediaFrom(m, media) {
    return typeof media.link === 'string' ? Promise.resolve(media.link) : mediaById(m, media.id);
  }

  // By the gateway's own download route with its credentials where it has one, as a client would
  // fetch it; otherwise by the control API's, which serves every gateway's stored files.
  function mediaById(m, id) {
    if (!id) return Promise.resolve(null);
    const key = m.provider + ':' + id;
    if (!mediaUrls.has(key)) {
      const download = dialect(m).mediaDownload;
      const c = credentials && credentials[m.provider];
      const request = download && c
        ? fetch(c.baseUrl + download.path.replace('{id}', encodeURIComponent(id)), { headers: { authorization: 'Bearer ' + c[download.token] } })
        : fetch('/api/v1/media/' + m.provider + '/' + encodeURIComponent(id));
      mediaUrls.set(key, request.then((r) => (r.ok ? r.blob() : null))
        .then((blob) => (blob ? URL.createObjectURL(blob) : null)).catch(() => null));
    }
    return mediaUrls.get(key);
  }

  function media(m, node) {
    const type = m.type;
    const holder = el('div');
    node.append(holder);
    const b = body(m);
    const filename = (b[type] && b[type].filename) || b.filename || b.file;
    mediaSource(m, type).then((src) => {
      const item = mediaElement(type, src, typeof filename === 'string' ? filename : undefined);
      if (item) holder.append(item);
      else holder.append(el('span', 'muted', '[' + type + (filename ? ': ' + filename : '') + ']'));
    });
    if (m.text && m.text !== '[' + type + ']') node.append(linked(m.text));
  }

  function renderLocation(m, node) {
    const b = body(m);
    const nested = b.location || (b.message && typeof b.message === 'object' ? b.message : null);
    const l = nested || b;
    let lat = l.latitude, lon = l.longitude;
    if (lat === undefined) [lat, lon] = m.text.split(',');
    const a = el('a', '', '📍 ' + m.text);
    a.href = 'https://www.openstreetmap.org/?mlat=' + encodeURIComponent(lat) + '&mlon=' + encodeURIComponent(lon);
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    node.append(a);
  }

  // Cloud API contacts (name, phones, emails), or Waviro's { name, numbers }.
  function contacts(m, node) {
    const b = body(m);
    const list = Array.isArray(b.contacts) ? b.contacts : b.contact ? [b.contact] : [];
    if (!list.length) { node.append(el('div', '', m.text)); return; }
    for (const c of list) {
      const card = el('div', 'contact-card');
      const name = typeof c.name === 'string' ? c.name : (c.name && c.name.formatted_name) || '';
      card.append(el('div', 'contact-name', name));
      const phones = (c.phones || []).map((p) => p.phone || p.wa_id).concat(c.numbers || []);
      for (const phone of phones) card.append(el('div', 'muted', '📞 ' + phone));
      for (const email of c.emails || []) card.append(el('div', 'muted', '✉ ' + email.email));
      if (c.org && c.org.company) card.append(el('div', 'muted', '🏢 ' + c.org.company));
      node.append(card);
    }
  }

  // A reaction names the message it reacts to; shown with it when that message is in view.
  function reaction(m, node) {
    const r = body(m).reaction || {};
    node.append(el('div', 'reaction', r.emoji || m.text || '∅'));
    const target = r.message_id && thread.get(r.message_id);
    node.append(el('div', 'muted', target ? 'reacted to “' + target.text.slice(0, 60) + '”' : r.emoji ? 'reaction' : 'reaction removed'));
  }

  // Fonnte's poll: the name and the comma-separated choices.
  function poll(m, node) {
    const b = body(m);
    node.append(el('div', 'poll-title', '📊 ' + (b.pollname || m.text)));
    for (const choice of String(b.choices || '').split(',').filter((c) => c.trim())) node.append(el('div', 'poll-option', choice.trim()));
    node.append(el('div', 'muted', b.select === 'multiple' ? 'several answers allowed' : 'one answer'));
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
    } else if (m.type === 'contacts' || m.type === 'contact' || m.type === 'vcard') {
      contacts(m, node);
    } else if (m.type === 'reaction') {
      reaction(m, node);
    } else if (m.type === 'poll') {
      poll(m, node);
    } else {
      node.append(linked(m.text));
    }
  }

  // Why a send failed, e.g. 131047 outside the 24-hour customer service window.
  function failure(m) {
    if (m.status !== 'failed' || !m.error) return null;
    const why = m.error.details ? ' — ' + m.error.details : '';
    return el('div', 'failure', '⚠ Not delivered: #' + m.error.code + ' ' + m.error.title + why);
  }

  function meta(m) {
    const line = el('div', 'meta', time(m));
    line.append(ticks(m));
    const info = el('button', 'details-button', 'i');
    info.type = 'button';
    info.title = 'Request, status history and webhooks';
    info.setAttribute('aria-label', 'Message details');
    info.onclick = () => openDetail(m.id);
    line.append(info);
    return line;
  }

  function bubble(m) {
    const node = el('div', 'bubble ' + m.direction);
    node.dataset.id = m.id;
    if (m.id === detailId) node.classList.add('viewing');
    node.append(el('div', 'tag', m.provider + ' · ' + m.type));
    content(m, node);
    const why = failure(m);
    if (why) node.append(why);
    node.append(meta(m));
    return node;
  }

  // A status change touches the ticks and the failure line only, so media is not loaded again.
  function refreshBubble(node, m) {
    node.querySelector(':scope > .failure')?.remove();
    const why = failure(m);
    const line = node.querySelector(':scope > .meta');
    if (why) line.before(why);
    line.replaceWith(meta(m));
  }

  // ---- the conversation list

  const filters = () => ({
    q: $('search').value.trim(),
    provider: $('filter-provider').value,
    direction: $('filter-direction').value,
    status: $('filter-status').value,
    type: $('filter-type').value,
  });
  const filtering = () => Object.values(filters()).some((value) => value !== '');

  // The text with each occurrence of the query marked; text only, never markup.
  function highlighted(className, text, q) {
    const node = el('div', className);
    const lower = text.toLowerCase();
    const needle = q.toLowerCase();
    let at = 0;
    for (let found = needle ? lower.indexOf(needle) : -1; found >= 0; found = lower.indexOf(needle, at)) {
      node.append(text.slice(at, found), el('mark', '', text.slice(found, found + needle.length)));
      at = found + needle.length;
    }
    node.append(text.slice(at));
    return node;
  }

  function conversationItem(c) {
    const item = el('div', 'conversation' + (c.counterpart === selected ? ' selected' : ''));
    item.tabIndex = 0;
    item.setAttribute('role', 'option');
    item.setAttribute('aria-selected', String(c.counterpart === selected));
    item.dataset.counterpart = c.counterpart;
    const top = el('div', 'conversation-top');
    top.append(el('span', 'who', c.counterpart), el('span', 'muted', time(c.last)));
    const count = c.count + (filtering() ? (c.count === 1 ? ' match' : ' matches') : '');
    const last = isTyping(c.counterpart) ? el('div', 'last typing', 'typing…') : highlighted('last', c.last.text, filters().q);
    item.append(top, el('div', 'tag', c.providers.join(', ') + ' · ' + count), last);
    // From a search, the conversation opens at the match; otherwise at its newest message.
    item.onclick = () => openConversation(c.counterpart, { show: true, target: filtering() ? c.last.id : null });
    return item;
  }

  function renderList() {
    const list = $('conversations');
    list.replaceChildren(...conversations.map(conversationItem));
    if (!conversations.length) list.append(el('p', 'muted empty-list', filtering() ? 'No message matches.' : 'No conversations yet.'));
    $('more-conversations').hidden = conversations.length >= conversationTotal;
    $('result-count').textContent = filtering() ? conversationTotal + (conversationTotal === 1 ? ' conversation matches' : ' conversations match') : '';
  }

  let listRun = 0;
  async function refreshList() {
    const run = ++listRun;
    const [page, all] = await Promise.all([
      api('GET', '/api/v1/conversations' + query(Object.assign(filters(), { limit: listLimit }))),
      api('GET', '/api/v1/messages?limit=1'),
    ]);
    // A newer refresh is on its way; this answer is already out of date.
    if (run !== listRun || !page) return;
    conversations = page.conversations;
    conversationTotal = page.total;
    if (all) { messageTotal = all.total; renderCounts(); }
    if (!selected && conversations[0]) openConversation(conversations[0].counterpart, {});
    renderList();
  }

  // Events can come by the hundred; the list is fetched again at most every 200 ms.
  let listTimer = null;
  function scheduleList() {
    if (listTimer) return;
    listTimer = setTimeout(() => { listTimer = null; refreshList(); }, 200);
  }

  function renderCounts() {
    $('count').textContent = messageTotal.toLocaleString('en');
    $('deliveries').textContent = deliveryCount.toLocaleString('en');
  }

  // ---- the open conversation

  const atBottom = () => threadBox.scrollHeight - threadBox.scrollTop - threadBox.clientHeight < 40;
  function scrollToBottom() {
    threadBox.scrollTop = threadBox.scrollHeight;
    $('jump').hidden = true;
  }
  // Media loads after the bubbles are laid out; a thread that follows new messages stays down.
  function keepAtBottom() { if (stick) scrollToBottom(); }
  threadBox.addEventListener('scroll', () => { stick = atBottom(); if (stick) $('jump').hidden = true; });

  const sortedThread = () => [...thread.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  function renderThread() {
    bubbles = new Map();
    const nodes = [];
    if (threadFetched < threadTotal) {
      const older = button('Load older messages (' + (threadTotal - threadFetched) + ' more)', loadOlder);
      older.id = 'older';
      older.className = 'tool';
      nodes.push(older);
    }
    for (const m of sortedThread()) {
      const node = bubble(m);
      bubbles.set(m.id, node);
      nodes.push(node);
    }
    if (!nodes.length) nodes.push(empty);
    if (selected && isTyping(selected)) nodes.push(el('div', 'typing-line', 'typing…'));
    threadBox.replaceChildren(...nodes);
    renderThreadHead();
  }

  function renderThreadHead() {
    const providers = [...new Set(sortedThread().map((m) => m.provider))].join(', ');
    $('thread-title').textContent = selected || '';
    $('thread-info').textContent = thread.size ? threadTotal + (threadTotal === 1 ? ' message' : ' messages') + ' · ' + providers : '';
  }

  // Each opening of a conversation is a run; pages that come back for an older run are dropped.
  let threadRun = 0;

  // One page of the conversation, older than what is loaded, merged under what the stream brought.
  async function fetchPage(run) {
    const since = seq;
    const page = await api('GET', '/api/v1/messages' + query({ conversation: selected, limit: PAGE, offset: threadFetched + threadArrived }));
    if (!page || run !== threadRun) return false;
    threadTotal = page.total;
    threadFetched += page.messages.length;
    const older = [...page.messages].reverse().map((m) => {
      const known = fresh.get(m.id);
      return [m.id, known && known.seq > since ? known.m : m];
    });
    thread = new Map([...older, ...thread]);
    return page.messages.length > 0;
  }

  async function openConversation(who, options) {
    const changed = who !== selected;
    selected = who;
    composer.elements.from.value = who;
    if (options.show) inbox.classList.add('thread-open');
    for (const item of document.querySelectorAll('.conversation')) {
      const on = item.dataset.counterpart === who;
      item.classList.toggle('selected', on);
      item.setAttribute('aria-selected', String(on));
    }
    if (!changed && !options.target) { requestAnimationFrame(keepAtBottom); return; }
    const run = ++threadRun;
    thread = new Map();
    threadTotal = threadFetched = threadArrived = 0;
    stick = !options.target;
    loading = true;
    let more = await fetchPage(run);
    // A search hit older than the newest page: page back until it is loaded.
    while (more && options.target && !thread.has(options.target) && threadFetched < threadTotal) {
      more = await fetchPage(run);
    }
    if (run !== threadRun) return;
    loading = false;
    const last = sortedThread().at(-1);
    if (last && dialect(last).composer) composer.elements.provider.value = last.provider;
    renderThread();
    const target = options.target && bubbles.get(options.target);
    if (target) {
      target.classList.add('match');
      target.scrollIntoView({ block: 'center' });
    } else {
      scrollToBottom();
    }
  }

  async function loadOlder() {
    const run = threadRun;
    const before = threadBox.scrollHeight - threadBox.scrollTop;
    if (!(await fetchPage(run))) return;
    renderThread();
    // Keep what was in view where it was, with the older messages above it.
    threadBox.scrollTop = threadBox.scrollHeight - before;
  }

  // A new or changed message of the open conversation, put in place without redrawing the rest.
  function upsertInThread(m, created) {
    const known = bubbles.get(m.id);
    thread.set(m.id, m);
    if (loading) return;
    if (known) { refreshBubble(known, m); return; }
    if (!created) return;
    threadArrived += 1;
    threadTotal += 1;
    const wasAtBottom = stick;
    const last = sortedThread().at(-2);
    if (last && last.createdAt > m.createdAt) { renderThread(); if (wasAtBottom) scrollToBottom(); return; }
    const node = bubble(m);
    bubbles.set(m.id, node);
    empty.remove();
    const typingLine = threadBox.querySelector('.typing-line');
    if (typingLine) typingLine.before(node); else threadBox.append(node);
    renderThreadHead();
    if (wasAtBottom) scrollToBottom(); else $('jump').hidden = false;
  }

  function back() {
    inbox.classList.remove('thread-open');
    document.querySelector('.conversation.selected')?.focus();
  }

  // ---- the detail pane

  function kv(rows) {
    const table = el('table', 'kv');
    for (const [name, value] of rows) {
      const tr = el('tr');
      tr.append(el('td', '', name), el('td', '', value));
      table.append(tr);
    }
    return table;
  }

  function deliveryLine(d) {
    const row = el('div', 'row');
    const ok = d.status !== null && d.status >= 200 && d.status < 300;
    row.append(el('span', 'badge ' + (ok ? 'ok' : 'bad'), d.status === null ? 'no answer' : String(d.status)),
      el('span', 'grow', d.kind + ' → ' + d.url), el('span', 'muted', d.durationMs + ' ms · attempt ' + d.attempt + ' · ' + clockTime(d.at)));
    const redo = button('↻ Redeliver', () => redeliver(d.id));
    redo.className = 'tool redeliver';
    row.append(redo);
    return row;
  }

  function renderDetail(d) {
    const m = d.message;
    const parts = [];
    parts.push(el('h3', '', 'Message'), kv([
      ['id', m.id], ['gateway', m.provider], ['direction', m.direction], ['kind', m.type],
      ['status', m.status + (m.error ? ' (#' + m.error.code + ' ' + m.error.title + ')' : '')],
      ['created', new Date(m.createdAt).toLocaleString()],
      ['idempotency key', m.idempotencyKey || (d.request && d.request.headers['idempotency-key']) || '—'],
    ]));
    parts.push(el('h3', '', 'Request the gateway received'));
    if (d.request) {
      const r = d.request;
      parts.push(el('div', 'request-line', r.method + ' ' + r.path), el('div', 'muted', 'received ' + clockTime(r.receivedAt) + ' · ' + r.bodyBytes + ' bytes' + (r.truncated ? ' (first 64 KiB shown)' : '')));
      parts.push(Object.assign(kv(Object.entries(r.headers)), { className: 'kv request-headers' }));
      parts.push(el('pre', 'request-body', r.body || '(no body)'));
    } else {
      parts.push(el('div', 'muted', m.direction === 'inbound' ? 'Written in as the customer (control API or this page); no gateway request.' : 'Stored by the sandbox itself; no gateway request.'));
    }
    parts.push(el('h3', '', 'Status history'));
    const history = el('ol', 'history');
    for (const change of d.statuses) {
      history.append(el('li', '', change.status + ' · ' + clockTime(change.at) + (change.error ? ' · #' + change.error.code + ' ' + change.error.title : '')));
    }
    parts.push(history);
    parts.push(el('h3', '', 'Webhook deliveries (' + d.deliveries.length + ')'));
    if (d.deliveries.length) for (const delivery of d.deliveries) parts.push(deliveryLine(delivery));
    else parts.push(el('div', 'muted', 'None: no webhook is set for ' + m.provider + ', or it sends none for this message.'));
    parts.push(el('h3', '', 'Stored message JSON'), el('pre', 'message-json', JSON.stringify(m, null, 2)));
    $('detail-body').replaceChildren(...parts);
  }

  async function openDetail(id) {
    detailId = id;
    for (const [key, node] of bubbles) node.classList.toggle('viewing', key === id);
    $('detail').hidden = false;
    const d = await api('GET', '/api/v1/messages/' + encodeURIComponent(id) + '/detail');
    if (!d || detailId !== id) return;
    renderDetail(d);
    $('detail-close').focus({ preventScroll: true });
  }

  function closeDetail() {
    const id = detailId;
    detailId = null;
    $('detail').hidden = true;
    const node = bubbles.get(id);
    if (node) { node.classList.remove('viewing'); node.querySelector('.details-button')?.focus({ preventScroll: true }); }
  }

  let detailTimer = null;
  function scheduleDetail() {
    if (!detailId || detailTimer) return;
    detailTimer = setTimeout(() => { detailTimer = null; if (detailId) openDetail(detailId); }, 150);
  }

  // ---- the webhook delivery log

  function deliveryRow(d) {
    const row = el('div', 'delivery');
    row.dataset.id = d.id;
    const ok = d.status !== null && d.status >= 200 && d.status < 300;
    const head = el('div', 'delivery-head');
    head.append(el('span', 'badge ' + (ok ? 'ok' : 'bad'), d.status === null ? 'no answer' : String(d.status)),
      el('strong', '', d.provider + ' · ' + d.kind), el('span', 'muted latency', d.durationMs + ' ms'),
      el('span', 'muted', 'attempt ' + d.attempt), el('span', 'muted', clockTime(d.at)));
    const redo = button('↻ Redeliver', () => redeliver(d.id));
    redo.className = 'tool redeliver';
    head.append(redo);
    row.append(head, el('div', 'url', 'POST ' + d.url));
    if (d.error) row.append(el('div', 'failure', d.error));
    const request = el('details');
    request.append(el('summary', '', 'Request'), kv(Object.entries(d.headers)), el('pre', '', d.body));
    const response = el('details');
    response.append(el('summary', '', 'Response'), el('pre', '', d.responseBody || (d.error ? '(no answer)' : '(empty body)')));
    row.append(request, response);
    return row;
  }

  function renderDeliveries() {
    if (!deliveries) return;
    const provider = $('delivery-provider').value;
    const shown = deliveries.filter((d) => !provider || d.provider === provider).slice().reverse();
    $('delivery-list').replaceChildren(...(shown.length ? shown.map(deliveryRow) : [el('p', 'muted', 'No webhook deliveries yet. Set a webhook URL (setWebhook, --webhook-url) and send or write in.')]));
    const failed = shown.filter((d) => d.status === null || d.status < 200 || d.status >= 300).length;
    $('delivery-summary').textContent = shown.length + ' attempts' + (failed ? ', ' + failed + ' failed' : '');
  }

  // Deliveries that arrive live while a load is in flight: the load's snapshot may predate them,
  // and replacing the list with it would drop them (an automatic retry right after a failure).
  const arrivingDuringLoad = new Set();

  async function loadDeliveries() {
    const arrived = [];
    arrivingDuringLoad.add(arrived);
    let log, hooks;
    try {
      [log, hooks] = await Promise.all([api('GET', '/api/v1/webhooks/deliveries'), api('GET', '/api/v1/webhooks')]);
    } finally {
      arrivingDuringLoad.delete(arrived);
    }
    if (log) {
      const fetched = new Set(log.deliveries.map((d) => d.id));
      deliveries = log.deliveries.concat(arrived.filter((d) => !fetched.has(d.id)));
      deliveryCount = deliveries.length;
      renderCounts();
      renderDeliveries();
    }
    if (hooks) {
      $('webhook-targets').textContent = hooks.webhooks.length
        ? 'Webhook URLs: ' + hooks.webhooks.map((w) => w.provider + ' → ' + w.url).join(' · ')
        : 'No webhook URL is set.';
    }
  }

  async function redeliver(id) {
    const d = await api('POST', '/api/v1/webhooks/deliveries/' + encodeURIComponent(id) + '/redeliver');
    if (d) notify('Redelivered (attempt ' + d.attempt + '): ' + (d.status === null ? 'no answer' : d.status));
  }

  // ---- controls

  function toolButton(label, onclick, className) {
    const b = button(label, onclick);
    b.className = 'tool' + (className ? ' ' + className : '');
    return b;
  }

  async function act(method, path, payload, done) {
    const answer = await api(method, path, payload);
    if (answer && done) notify(done);
    await loadControls();
    return answer;
  }

  function renderSettings(settings, clock) {
    if (settings) $('enforce-window').checked = settings.enforceWindow;
    if (clock) $('clock-now').textContent = new Date(clock.now).toLocaleString() + (clock.offsetMs ? ' (+' + Math.round(clock.offsetMs / 3600000) + ' h)' : '');
  }

  function renderTemplates(answer) {
    if (!answer) return;
    const rows = answer.templates.map((t) => {
      const row = el('div', 'row template-row');
      row.append(el('strong', '', t.provider), el('span', 'grow', t.name + ' (' + t.language + ', ' + t.category + ')'), el('span', 'template-status badge ' + (t.status === 'APPROVED' ? 'ok' : 'bad'), t.status));
      const path = '/api/v1/templates/' + t.provider + '/' + encodeURIComponent(t.name) + '/status';
      const set = (status) => act('POST', path, { status }, t.provider + ' ' + t.name + ': ' + status);
      row.append(toolButton('Approve', () => set('APPROVED')), toolButton('Reject', () => set('REJECTED'), 'danger'));
      return row;
    });
    $('template-list').replaceChildren(...(rows.length ? rows : [el('p', 'muted', 'No templates.')]));
  }

  function describeFault(f) {
    const what = [f.reset ? 'drop the connection' : '', f.status ? 'answer ' + f.status : '', f.latencyMs ? 'wait ' + f.latencyMs + ' ms' : ''].filter(Boolean).join(', ');
    const where = (f.provider || 'any gateway') + ' ' + (f.method || '') + ' ' + (f.path ? '…' + f.path + '…' : 'any path');
    const chance = f.probability === undefined ? '' : ', probability ' + f.probability;
    return where + ': ' + what + ' (' + (f.when || 'before') + ', ' + (f.remaining === null ? 'every time' : f.remaining + ' more') + chance + ')';
  }

  function renderFaults(answer) {
    if (!answer) return;
    const rows = answer.faults.map((f) => {
      const row = el('div', 'row fault-row');
      row.append(el('span', 'grow', describeFault(f)), toolButton('Remove', () => act('DELETE', '/api/v1/faults/' + f.id, undefined, 'Fault removed')));
      return row;
    });
    $('fault-list').replaceChildren(...(rows.length ? rows : [el('p', 'muted', 'No faults: every request is answered normally.')]));
  }

  function sessionRow(label, state, on, toggle) {
    const row = el('div', 'row session-row');
    row.append(el('strong', '', label), el('span', 'grow', state), toolButton(on ? 'Disconnect' : 'Connect', toggle));
    return row;
  }

  function renderSessions(waviro, kirimy, fonnte, wablas) {
    const rows = [];
    if (waviro) {
      const state = waviro.authenticated ? 'logged in as ' + waviro.number : 'logged out · scan QR ' + (waviro.qrcode || '');
      rows.push(sessionRow('Waviro bot', state, waviro.authenticated,
        () => act('POST', '/api/v1/waviro/connection', { authenticated: !waviro.authenticated }, 'Waviro bot ' + (waviro.authenticated ? 'logged out' : 'logged in'))));
    }
    for (const s of (kirimy && kirimy.sessions) || []) {
      rows.push(sessionRow('Kirimy ' + s.id, (s.active ? 'active' : 'inactive') + ' · ' + s.sentToday + ' of ' + s.dailyQuota + ' sent today', s.active,
        () => act('POST', '/api/v1/kirimy/sessions/' + encodeURIComponent(s.id), { active: !s.active }, 'Kirimy ' + s.id + (s.active ? ' deactivated' : ' activated'))));
    }
    if (fonnte) {
      rows.push(sessionRow('Fonnte device', (fonnte.connected ? 'connected' : 'disconnected') + ' · ' + fonnte.number + ' · quota ' + fonnte.quota, fonnte.connected,
        () => act('PUT', '/api/v1/fonnte/device', { connected: !fonnte.connected }, 'Fonnte device ' + (fonnte.connected ? 'disconnected' : 'connected'))));
    }
    if (wablas) {
      rows.push(sessionRow('Wablas device', (wablas.connected ? 'connected' : 'disconnected') + ' · ' + wablas.number + ' · quota ' + (wablas.quota === null ? 'unlimited' : wablas.quota), wablas.connected,
        () => act('PUT', '/api/v1/wablas/device', { connected: !wablas.connected }, 'Wablas device ' + (wablas.connected ? 'disconnected' : 'connected'))));
    }
    $('session-list').replaceChildren(...rows);
  }

  // A target's rules in words, e.g. 'type text · keyword promo'; any one rule matching is enough.
  function describeRules(rules) {
    if (!rules || !rules.length) return 'every event';
    return rules.map((rule) => ['type', 'keyword', 'from', 'regex'].filter((name) => rule[name] !== undefined)
      .map((name) => name + ' ' + rule[name]).join(' · ')).join(' or ');
  }

  function renderKiremTargets(answer) {
    if (!answer) return;
    const rows = answer.targets.map((t) => {
      const row = el('div', 'row kirem-target-row');
      const what = el('div', 'grow');
      what.append(el('div', 'url', t.url), el('div', 'target-rules', describeRules(t.rules)));
      // Only whose secret signs the deliveries: the page never shows a secret itself.
      const signer = el('span', 'muted', 'signed with ' + (t.secret ? 'own secret' : "Kirem's webhook secret"));
      const remove = toolButton('Remove', () => act('DELETE', '/api/v1/kirem/webhook-targets/' + encodeURIComponent(t.id), undefined, 'Kirem webhook target ' + t.id + ' removed'));
      row.append(el('strong', '', t.id), what, signer, remove);
      return row;
    });
    $('kirem-target-list').replaceChildren(...(rows.length ? rows : [el('p', 'muted', "No routing targets: Kirem's events go to its webhook URL only.")]));
  }

  // The page speaks seconds; the control API counts milliseconds.
  const seconds = (ms) => ms / 1000 + ' s';

  function renderKiremRetry(answer) {
    if (!answer) return;
    $('kirem-retry').textContent = answer.delaysMs.length ? answer.delaysMs.map(seconds).join(', ') : 'off (a failed delivery is not retried)';
  }

  async function loadControls() {
    const paths = ['settings', 'clock', 'templates', 'faults', 'waviro/connection', 'kirimy/sessions', 'fonnte/device', 'wablas/device',
      'kirem/webhook-targets', 'kirem/webhook-retry'];
    const [settings, clock, templates, faults, waviro, kirimy, fonnte, wablas, targets, retry] = await Promise.all(paths.map((path) => api('GET', '/api/v1/' + path)));
    renderSettings(settings, clock);
    renderTemplates(templates);
    renderFaults(faults);
    renderSessions(waviro, kirimy, fonnte, wablas);
    renderKiremTargets(targets);
    renderKiremRetry(retry);
  }

  $('enforce-window').onchange = (event) =>
    act('PUT', '/api/v1/settings', { enforceWindow: event.target.checked }, event.target.checked ? '24-hour window enforced' : '24-hour window not enforced');
  $('advance-clock').onclick = () => act('POST', '/api/v1/clock', { advanceMs: 24 * 3600 * 1000 + 1000 }, 'Clock moved 24 hours on');
  $('clear-messages').onclick = () => act('DELETE', '/api/v1/messages', undefined, 'Messages cleared').then(() => { resetInbox(); refreshList(); });
  // Two clicks, not a confirm() dialog: a blocking dialog would stop the live updates too.
  $('reset-sandbox').onclick = (event) => {
    const b = event.target;
    if (b.dataset.armed) { delete b.dataset.armed; b.textContent = 'Reset everything'; act('POST', '/api/v1/reset', undefined, 'Sandbox reset'); return; }
    b.dataset.armed = '1';
    b.textContent = 'Click again to reset';
    setTimeout(() => { delete b.dataset.armed; b.textContent = 'Reset everything'; }, 3000);
  };
  $('clear-faults').onclick = () => act('DELETE', '/api/v1/faults', undefined, 'Faults cleared');
  $('fault-form').onsubmit = (event) => {
    event.preventDefault();
    const f = event.target.elements;
    const fault = {};
    for (const name of ['provider', 'method', 'path']) if (f[name].value.trim()) fault[name] = f[name].value.trim();
    for (const name of ['status', 'latencyMs', 'times', 'probability']) if (f[name].value) fault[name] = Number(f[name].value);
    if (f.reset.checked) fault.reset = true;
    if (f.when.value) fault.when = f.when.value;
    act('POST', '/api/v1/faults', fault, 'Fault added');
  };
  $('kirem-target-form').onsubmit = async (event) => {
    event.preventDefault();
    const form = event.target;
    const f = form.elements;
    const target = { url: f.url.value.trim() };
    if (f.targetId.value.trim()) target.id = f.targetId.value.trim();
    if (f.secret.value) target.secret = f.secret.value;
    // One rule from the form; the control API takes several.
    const rule = {};
    for (const name of ['type', 'from', 'keyword']) if (f[name].value.trim()) rule[name] = f[name].value.trim();
    // A regex is kept as typed: its spaces may be meant.
    if (f.regex.value.trim()) rule.regex = f.regex.value;
    if (Object.keys(rule).length) target.rules = [rule];
    // Cleared only once added, so a refused target can be corrected rather than typed again.
    if (await act('POST', '/api/v1/kirem/webhook-targets', target, 'Kirem webhook target added')) form.reset();
  };
  $('kirem-retry-form').onsubmit = async (event) => {
    event.preventDefault();
    const input = event.target.elements.delays;
    const parts = input.value.split(/[s,]+/).filter(Boolean);
    if (!parts.length || parts.some((part) => !(Number(part) >= 0))) {
      notify('Retry delays are seconds, separated by commas, e.g. 1, 2, 4; "Turn retries off" sets none.', 'error');
      return;
    }
    const delaysMs = parts.map((part) => Math.round(Number(part) * 1000));
    if (await act('PUT', '/api/v1/kirem/webhook-retry', { delaysMs }, 'Kirem retries set')) input.value = '';
  };
  $('kirem-retry-off').onclick = () => act('PUT', '/api/v1/kirem/webhook-retry', { delaysMs: [] }, 'Kirem retries turned off');

  // ---- views, keys and live updates

  function showView(name) {
    view = name;
    for (const tab of document.querySelectorAll('.tab')) tab.setAttribute('aria-selected', String(tab.dataset.view === name));
    for (const section of ['inbox', 'deliveries', 'controls']) $('view-' + section).hidden = section !== name;
    if (name === 'deliveries') loadDeliveries();
    if (name === 'controls') loadControls();
    if (name === 'inbox') requestAnimationFrame(keepAtBottom);
  }
  for (const tab of document.querySelectorAll('.tab')) tab.onclick = () => showView(tab.dataset.view);

  function step(by) {
    if (!conversations.length) return;
    const at = conversations.findIndex((c) => c.counterpart === selected);
    const next = conversations[Math.min(conversations.length - 1, Math.max(0, at + by))];
    openConversation(next.counterpart, { target: filtering() ? next.last.id : null });
    const item = document.querySelector('.conversation[data-counterpart="' + CSS.escape(next.counterpart) + '"]');
    if (item) { item.focus({ preventScroll: true }); item.scrollIntoView({ block: 'nearest' }); }
  }

  document.addEventListener('keydown', (event) => {
    const target = event.target;
    const editing = /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (event.key === 'Escape') {
      if (detailId) closeDetail();
      else if (editing) target.blur();
      else if (inbox.classList.contains('thread-open')) back();
      return;
    }
    if (editing || event.ctrlKey || event.metaKey || event.altKey) return;
    const inList = target.closest && target.closest('#conversations');
    if (event.key === '/') {
      event.preventDefault();
      if (view !== 'inbox') showView('inbox');
      $('search').focus();
    } else if (view === 'inbox' && (event.key === 'j' || (inList && event.key === 'ArrowDown'))) {
      event.preventDefault();
      step(1);
    } else if (view === 'inbox' && (event.key === 'k' || (inList && event.key === 'ArrowUp'))) {
      event.preventDefault();
      step(-1);
    } else if (inList && event.key === 'Enter' && target.dataset.counterpart) {
      openConversation(target.dataset.counterpart, { show: true });
    }
  });

  let searchTimer = null;
  function searchChanged() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { listLimit = LIST_PAGE; refreshList(); }, 200);
  }
  $('search').addEventListener('input', searchChanged);
  $('search-form').onsubmit = (event) => { event.preventDefault(); searchChanged(); };
  for (const id of ['filter-provider', 'filter-direction', 'filter-status', 'filter-type']) $(id).onchange = searchChanged;
  $('more-conversations').onclick = () => { listLimit += LIST_PAGE; refreshList(); };
  $('back').onclick = back;
  $('jump').onclick = scrollToBottom;
  $('detail-close').onclick = closeDetail;
  $('delivery-provider').onchange = renderDeliveries;
  $('reload-deliveries').onclick = loadDeliveries;

  composer.onsubmit = async (event) => {
    event.preventDefault();
    const form = event.target;
    const answer = await api('POST', '/api/v1/inbound', Object.assign({ provider: form.provider.value, text: form.text.value }, sender(form.from.value)));
    if (!answer) return;
    form.text.value = '';
    openConversation(counterpart(answer.message), { show: true });
  };

  function onMessage(m, created) {
    seq += 1;
    fresh.set(m.id, { seq, m });
    if (fresh.size > 1000) fresh.delete(fresh.keys().next().value);
    if (created) { messageTotal += 1; renderCounts(); }
    const who = counterpart(m);
    // WhatsApp drops the typing indicator once the business answers.
    if (m.direction === 'outbound' && typing.delete(who)) renderList();
    if (!selected) openConversation(who, {});
    else if (who === selected) upsertInThread(m, created);
    if (m.id === detailId) scheduleDetail();
    scheduleList();
  }

  // A read receipt with a typing indicator shows "typing…" for 25 seconds, as WhatsApp does.
  function typingFor(read) {
    const known = read.typing && (thread.get(read.messageId) || (fresh.get(read.messageId) || {}).m ||
      (conversations.find((c) => c.last.id === read.messageId) || {}).last);
    if (!known) return;
    const who = counterpart(known);
    typing.set(who, Date.now() + 25000);
    const redraw = () => { renderList(); if (who === selected) renderTyping(); };
    redraw();
    setTimeout(redraw, 25100);
  }

  function renderTyping() {
    const line = threadBox.querySelector('.typing-line');
    if (isTyping(selected) && !line) { threadBox.append(el('div', 'typing-line', 'typing…')); keepAtBottom(); }
    if (!isTyping(selected) && line) line.remove();
  }

  function onDelivery(d) {
    deliveryCount += 1;
    renderCounts();
    for (const arrived of arrivingDuringLoad) arrived.push(d);
    if (deliveries) { deliveries.push(d); if (view === 'deliveries') renderDeliveries(); }
    if (detailId && d.body.includes(detailId)) scheduleDetail();
  }

  function resetInbox() {
    selected = null;
    threadRun += 1;
    loading = false;
    thread = new Map();
    threadTotal = threadFetched = threadArrived = 0;
    if (detailId) closeDetail();
    inbox.classList.remove('thread-open');
    renderThread();
  }

  async function load() {
    const info = await api('GET', '/api/v1/info');
    if (info) credentials = info.credentials;
    await Promise.all([refreshList(), loadDeliveries()]);
    if (view === 'controls') loadControls();
  }

  // Subscribe first, then load, so nothing that happens in between is missed; both merge by id.
  const events = new EventSource('/api/v1/events');
  const live = $('live');
  events.onopen = () => { live.textContent = 'live'; load(); };
  events.onerror = () => { live.textContent = 'reconnecting…'; };
  events.addEventListener('message.created', (e) => onMessage(JSON.parse(e.data), true));
  events.addEventListener('message.status', (e) => onMessage(JSON.parse(e.data), false));
  events.addEventListener('delivery.created', (e) => onDelivery(JSON.parse(e.data)));
  events.addEventListener('read.created', (e) => typingFor(JSON.parse(e.data)));
  events.addEventListener('sandbox.reset', () => { resetInbox(); deliveries = null; load(); });
`;

const option = (value: string, label = value) => `<option value="${value}">${label}</option>`;

function html(script: string, providers: readonly string[], composer: readonly string[]): string {
  const providerOptions = providers.map((name) => option(name)).join('');
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
  <h1>kabar-sandbox</h1>
  <nav class="tabs" aria-label="Views">
    <button type="button" class="tab" id="tab-inbox" data-view="inbox" aria-selected="true">Inbox</button>
    <button type="button" class="tab" id="tab-deliveries" data-view="deliveries" aria-selected="false">Webhook log</button>
    <button type="button" class="tab" id="tab-controls" data-view="controls" aria-selected="false">Controls</button>
  </nav>
  <span class="muted"><span id="count">0</span> messages &middot; <span id="deliveries">0</span> webhook deliveries &middot; <span id="live">connecting…</span></span>
  <span class="muted hide-narrow">control API at <code>/api/v1</code> &middot; <kbd>/</kbd> search, <kbd>j</kbd>/<kbd>k</kbd> conversations, <kbd>Esc</kbd> close</span>
</header>
<main id="view-inbox" class="view">
  <div id="list-pane">
    <form id="search-form" role="search">
      <input id="search" type="search" placeholder="Search text, number, message id, template…" aria-label="Search messages" autocomplete="off">
      <div class="filters">
        <select id="filter-provider" aria-label="Gateway">${option('', 'All gateways')}${providerOptions}</select>
        <select id="filter-direction" aria-label="Direction">${option('', 'Both directions')}${option('inbound')}${option('outbound')}</select>
        <select id="filter-status" aria-label="Status">${option('', 'Any status')}${MESSAGE_STATUSES.map((status) => option(status)).join('')}</select>
        <select id="filter-type" aria-label="Kind">${option('', 'Any kind')}${KINDS.map((kind) => option(kind)).join('')}</select>
      </div>
      <div id="result-count" class="muted" aria-live="polite"></div>
    </form>
    <div id="conversations" role="listbox" aria-label="Conversations"></div>
    <button type="button" id="more-conversations" class="tool" hidden>Load more conversations</button>
  </div>
  <section id="thread-pane" aria-label="Conversation">
    <div class="thread-head"><button type="button" id="back" class="tool" aria-label="Back to conversations">←</button><strong id="thread-title"></strong><span id="thread-info" class="muted"></span></div>
    <div id="thread"><p id="empty">No messages yet. Send one through a gateway, or write in as a customer below.</p></div>
    <button type="button" id="jump" class="tool" hidden>↓ New messages</button>
    <form id="composer">
      <select name="provider" aria-label="Gateway">${composer.map((name) => `<option>${name}</option>`).join('')}</select>
      <input name="from" placeholder="customer number, e.g. 6281234567890, or Meta BSUID" size="24" aria-label="Customer" required>
      <input name="text" placeholder="Write as the customer…" aria-label="Message" required>
      <button>Send</button>
    </form>
  </section>
  <aside id="detail" aria-label="Message detail" hidden>
    <div class="detail-head"><h2>Message detail</h2><button type="button" id="detail-close" class="tool" aria-label="Close detail">✕</button></div>
    <div id="detail-body"></div>
  </aside>
</main>
<main id="view-deliveries" class="view page-view" hidden>
  <div class="page">
    <div class="page-head">
      <h2>Webhook deliveries</h2>
      <span id="delivery-summary" class="muted"></span>
      <select id="delivery-provider" aria-label="Gateway">${option('', 'All gateways')}${providerOptions}</select>
      <button type="button" id="reload-deliveries" class="tool">Reload</button>
    </div>
    <p id="webhook-targets" class="muted"></p>
    <div id="delivery-list"></div>
  </div>
</main>
<main id="view-controls" class="view page-view" hidden>
  <div class="page">
    <section class="box">
      <h2>Sandbox</h2>
      <div class="row"><label><input type="checkbox" id="enforce-window"> Enforce the 24-hour customer service window (Kirem, Meta)</label></div>
      <div class="row"><span class="grow">Sandbox clock: <span id="clock-now"></span></span><button type="button" id="advance-clock" class="tool">+24 h</button></div>
      <div class="row"><button type="button" id="clear-messages" class="tool">Clear messages</button><button type="button" id="reset-sandbox" class="tool danger">Reset everything</button></div>
    </section>
    <section class="box">
      <h2>Templates</h2>
      <div id="template-list"></div>
    </section>
    <section class="box">
      <h2>Faults</h2>
      <form id="fault-form">
        <select name="provider" aria-label="Gateway">${option('', 'Any gateway')}${providerOptions}</select>
        <input name="method" placeholder="method, e.g. POST" size="8" aria-label="Method">
        <input name="path" placeholder="path contains, e.g. /messages" aria-label="Path">
        <input name="status" type="number" min="100" max="599" placeholder="status" aria-label="Status">
        <input name="latencyMs" type="number" min="0" placeholder="latency ms" aria-label="Latency in milliseconds">
        <input name="times" type="number" min="1" placeholder="times" aria-label="Times">
        <input name="probability" type="number" min="0" max="1" step="any" placeholder="probability 0–1" aria-label="Probability, from 0 to 1" title="Chance that a matching request is hit, from 0 to 1 (default 1: every one)">
        <select name="when" aria-label="When">${option('', 'before handling')}${option('after', 'after handling')}</select>
        <label><input name="reset" type="checkbox"> drop connection</label>
        <button class="tool">Add fault</button>
        <button type="button" id="clear-faults" class="tool danger">Clear all</button>
      </form>
      <div id="fault-list"></div>
    </section>
    <section class="box">
      <h2>Kirem webhook routing</h2>
      <p class="muted hint">Kirem's webhook URL gets every event. Each target here gets Kirem's events too: all of them, or those its rule matches.</p>
      <div id="kirem-target-list"></div>
      <form id="kirem-target-form">
        <input name="url" placeholder="URL, e.g. http://127.0.0.1:3001/hooks" aria-label="Target URL" required>
        <input name="targetId" placeholder="id (optional)" size="12" aria-label="Target id (optional)">
        <input name="secret" type="password" placeholder="own secret (optional)" size="20" aria-label="Target secret (optional)" autocomplete="off">
        <span class="muted">rule:</span>
        <select name="type" aria-label="Rule: message type">${option('', 'any type')}${KIREM_MESSAGE_TYPES.map((type) => option(type)).join('')}</select>
        <input name="from" placeholder="from, e.g. 62812" size="14" aria-label="Rule: sender number starts with">
        <input name="keyword" placeholder="keyword, e.g. promo" size="18" aria-label="Rule: keyword">
        <input name="regex" placeholder="regex, e.g. ^ORDER-" size="18" aria-label="Rule: regular expression">
        <button class="tool">Add target</button>
      </form>
      <p class="muted hint">One rule per target from this form: it matches when every field filled in holds; with none filled in, the target gets every event. Without a secret, deliveries are signed with Kirem's webhook secret. For several rules (any one matching), use <code>POST /api/v1/kirem/webhook-targets</code>.</p>
      <div class="row"><span class="grow">Automatic retries of a failed delivery, after: <span id="kirem-retry"></span></span></div>
      <form id="kirem-retry-form">
        <input name="delays" placeholder="seconds, e.g. 1, 2, 4, 8, 16" aria-label="Retry delays in seconds, comma-separated">
        <button class="tool">Set retries</button>
        <button type="button" id="kirem-retry-off" class="tool">Turn retries off</button>
      </form>
      <p class="muted hint">Delays in <strong>seconds</strong>, comma-separated, each counted from the attempt before (0.5 is 500 ms). The default is 1, 2, 4, 8, 16; a reset restores it.</p>
    </section>
    <section class="box">
      <h2>Sessions and devices</h2>
      <div id="session-list"></div>
    </section>
  </div>
</main>
<div id="toasts" aria-live="polite"></div>
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
 * The page served at '/', one file with no build step and no dependency. The inbox lists
 * conversations per phone number (or business-scoped user id), searched and filtered by the
 * control API and paged, and shows each as chat bubbles that open at the newest message and
 * follow new ones live from /api/v1/events. Reply buttons, list rows, carousel quick-reply buttons
 * and location requests post the customer's answer to /api/v1/inbound. Each message opens a
 * detail pane: the gateway request (credentials redacted), the stored JSON, the status history and
 * its webhook deliveries. A webhook log lists every delivery with a Redeliver button, and a
 * controls view resets the sandbox, reviews templates, sets faults, the 24-hour window, the
 * gateways' sessions and Kirem's webhook routing targets and retry schedule. Light or dark with the system, usable down to a phone's width, driven by
 * keys (/, j, k, Esc), errors shown on the page. Text is only ever set through textContent, so
 * message content cannot inject markup.
 */
export function inboxPage(dialects: readonly InboxDialect[]): { html: string; csp: string } {
  // Escaped so no label can close the script element early.
  const labels = JSON.stringify(Object.fromEntries(dialects.map((d) => [d.name, d]))).replace(
    /</g,
    '\\u003c',
  );
  const script = `\n  const DIALECTS = ${labels};${SCRIPT}`;
  const providers = dialects.map((d) => d.name);
  const composer = dialects.filter((d) => d.composer).map((d) => d.name);
  return { html: html(script, providers, composer), csp: csp(script) };
}
