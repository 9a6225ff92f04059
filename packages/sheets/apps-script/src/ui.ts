import { gatewayChoices, messagesUrl } from './gateway';
import { defaultRatePerSecond, gatewayLabel } from './registry';
import {
  DEFAULT_BASE_URLS,
  loadApiKey,
  loadCredentials,
  loadSettings,
  MESSAGE_KIND,
  parseSettingsForm,
  type Settings,
  type SettingsForm,
  saveSettingsToProperties,
} from './settings';

/** The menu's caption in the sheet's menu bar. */
export const MENU_TITLE = '📱 Kabar Broadcast';

/** Simple trigger: builds the menu only (it runs without authorization, so it sends nothing). */
export function onOpen(_event?: unknown): void {
  SpreadsheetApp.getUi()
    .createMenu(MENU_TITLE)
    .addItem('Kirim Broadcast', 'sendBroadcast')
    .addItem('Reset Status', 'resetStatus')
    .addSeparator()
    .addItem('Status Broadcast', 'showStatus')
    .addItem('Hentikan Broadcast', 'stopBroadcast')
    .addSeparator()
    .addItem('Pengaturan', 'openSettings')
    .addToUi();
}

/**
 * Menu "Pengaturan": a dialog whose form calls saveSettings. The stored secrets are never sent to it,
 * only whether there are any.
 */
export function openSettings(): void {
  const properties = PropertiesService.getScriptProperties();
  const credentials = loadCredentials(properties);
  const html = settingsHtml(loadSettings(properties), {
    hasKey: credentials.apiKey !== '',
    hasSecretKey: credentials.secretKey !== '',
  });
  SpreadsheetApp.getUi().showModalDialog(
    HtmlService.createHtmlOutput(html).setWidth(480).setHeight(640),
    'Pengaturan Kabar Broadcast',
  );
}

/**
 * Called by the dialog through google.script.run. Stores everything in script properties; an empty
 * key field keeps the stored key, except when the gateway changes: a key is never sent to another
 * gateway than the one it was given for. Throws (shown in the dialog) when a field is invalid.
 */
export function saveSettings(form: SettingsForm): string {
  const properties = PropertiesService.getScriptProperties();
  const current = loadSettings(properties);
  const parsed = parseSettingsForm(form ?? {}, current);
  if (!parsed.ok) throw new Error(parsed.errors.join(' '));
  if (!parsed.apiKey && !loadApiKey(properties)) {
    throw new Error('API key / access token wajib diisi.');
  }
  if (!parsed.apiKey && parsed.settings.gateway !== current.gateway) {
    throw new Error(
      `Gateway diganti ke ${gatewayLabel(parsed.settings.gateway)}: API key / token untuk gateway ini wajib diisi.`,
    );
  }
  saveSettingsToProperties(parsed, properties);
  return `Tersimpan. Pesan dikirim ke ${messagesUrl(parsed.settings)}`;
}

function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The settings dialog. The gateway list is core's registry (labels included) limited to the
 * gateways this bundle has a sender for; fields that only one kind of gateway uses are shown for it
 * alone.
 */
export function settingsHtml(
  settings: Settings,
  stored: { hasKey: boolean; hasSecretKey?: boolean },
): string {
  const choices = gatewayChoices();
  const rates = Object.fromEntries(
    choices.map((choice) => [choice.name, defaultRatePerSecond(choice.name)]),
  );
  const field = (name: keyof Settings, label: string, help = '', type = 'text') =>
    `<label>${label}<input name="${name}" type="${type}" value="${escapeHtml(settings[name])}">${help ? `<small>${help}</small>` : ''}</label>`;
  const only = (gateways: string, html: string) => `<div data-gateways="${gateways}">${html}</div>`;
  const sending = (kind: 'template' | 'text') =>
    choices
      .filter((choice) => MESSAGE_KIND[choice.name] === kind)
      .map((choice) => choice.name)
      .join(' ');
  const options = choices
    .map(
      (choice) =>
        `<option value="${choice.name}"${settings.gateway === choice.name ? ' selected' : ''}>${escapeHtml(choice.label)}</option>`,
    )
    .join('');
  const rateHelp = choices
    .map((choice) => `${escapeHtml(choice.label)} ${rates[choice.name]}`)
    .join(', ');
  const keyPlaceholder = stored.hasKey
    ? 'tersimpan — kosongkan untuk tetap memakai yang lama'
    : 'wajib diisi';
  return `<!DOCTYPE html>
<html><head><base target="_top"><style>
body{font-family:Arial,sans-serif;font-size:13px;margin:0 4px}
label{display:block;margin:8px 0}
input,select,textarea{display:block;width:100%;box-sizing:border-box;padding:5px;margin-top:3px}
input[type=checkbox]{display:inline;width:auto;margin:0 4px 0 0}
textarea{height:90px;font-family:inherit}
small{color:#666}
#message{margin-top:10px;white-space:pre-wrap}
.error{color:#b00020}
</style></head><body>
<form id="settings" onsubmit="save(event)">
<label>Gateway<select name="gateway" onchange="gatewayChanged()">${options}</select></label>
<label>API key / token<input name="apiKey" type="password" autocomplete="off" placeholder="${keyPlaceholder}"><small>Ganti gateway: isi token gateway yang baru.</small></label>
${only(
  'wablas',
  `<label>Secret key Wablas<input name="secretKey" type="password" autocomplete="off" placeholder="${stored.hasSecretKey ? 'tersimpan — kosongkan untuk tetap memakai yang lama' : 'opsional'}"><small>Dari pengaturan device di dashboard Wablas; kosong untuk akun tanpa secret key.</small></label>${stored.hasSecretKey ? '<label><input name="clearSecretKey" type="checkbox" value="true">Hapus secret key yang tersimpan</label>' : ''}
${field('server', 'Server Wablas', 'Misalnya bdg untuk https://bdg.wablas.com (lihat dashboard). Atau isi Base URL.')}`,
)}
${only(sending('template'), field('phoneNumberId', 'Phone number ID', 'Wajib untuk Meta; opsional untuk Kirem.'))}
${field('baseUrl', 'Base URL', `Kosong: alamat resmi gateway (${DEFAULT_BASE_URLS.kirem}, ${DEFAULT_BASE_URLS.meta}, ${DEFAULT_BASE_URLS.fonnte}, https://&lt;server&gt;.wablas.com).`)}
${only(
  sending('template'),
  `${field('templateName', 'Nama template', 'Isi {{1}} = Nama, {{2}} = Kode Promo.')}
${field('language', 'Bahasa template', 'Misalnya id atau en_US.')}`,
)}
${only(
  sending('text'),
  `<label>Teks pesan<textarea name="messageText">${escapeHtml(settings.messageText)}</textarea><small>Diisi per baris: {name} = Nama, {promo} = Kode Promo, {phone} = nomor HP (628…).</small></label>`,
)}
${field('ratePerSecond', 'Pesan per detik', `Batas gateway; kosongkan untuk bawaan: ${rateHelp} (0.2 = 1 pesan tiap 5 detik).`)}
${field('timeBudgetSeconds', 'Batas waktu per eksekusi (detik)', 'Sesudah ini broadcast berlanjut otomatis lewat trigger; Apps Script berhenti di 360.', 'number')}
<button type="submit">Simpan</button>
</form>
<div id="message"></div>
<script>
var RATES = ${scriptJson(rates)};
var savedGateway = ${scriptJson(settings.gateway)};
var savedRate = ${scriptJson(String(settings.ratePerSecond))};
function showFields() {
  var gateway = document.getElementById('settings').gateway.value;
  var blocks = document.querySelectorAll('[data-gateways]');
  for (var i = 0; i < blocks.length; i++) {
    var shown = blocks[i].getAttribute('data-gateways').split(' ').indexOf(gateway) >= 0;
    blocks[i].style.display = shown ? '' : 'none';
  }
}
function gatewayChanged() {
  var form = document.getElementById('settings');
  var gateway = form.gateway.value;
  // The saved rate belongs to the saved gateway; another gateway starts at its own default.
  if (gateway === savedGateway) form.ratePerSecond.value = savedRate;
  else if (RATES[gateway] !== undefined) form.ratePerSecond.value = RATES[gateway];
  form.apiKey.placeholder = gateway === savedGateway ? ${scriptJson(keyPlaceholder)} : 'wajib diisi: token gateway ini';
  showFields();
}
function save(event) {
  event.preventDefault();
  var form = document.getElementById('settings');
  var data = {};
  for (var i = 0; i < form.elements.length; i++) {
    var element = form.elements[i];
    if (!element.name) continue;
    data[element.name] = element.type === 'checkbox' ? (element.checked ? 'true' : '') : element.value;
  }
  var message = document.getElementById('message');
  message.className = '';
  message.textContent = 'Menyimpan...';
  google.script.run
    .withSuccessHandler(function (text) {
      message.textContent = text;
      form.apiKey.value = '';
      if (form.secretKey) form.secretKey.value = '';
      savedGateway = data.gateway;
      savedRate = data.ratePerSecond;
    })
    .withFailureHandler(function (error) { message.className = 'error'; message.textContent = error.message; })
    .saveSettings(data);
}
showFields();
</script>
</body></html>`;
}
