import { gas } from './gas';
import { messagesUrl } from './gateway';
import {
  DEFAULT_BASE_URLS,
  loadApiKey,
  loadSettings,
  parseSettingsForm,
  type Settings,
  type SettingsForm,
  saveSettingsToProperties,
} from './settings';

export const MENU_TITLE = '📱 Kabar Broadcast';

/** Simple trigger: builds the menu only (it runs without authorization, so it sends nothing). */
export function onOpen(_event?: unknown): void {
  gas
    .ui()
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

/** Menu "Pengaturan": a dialog whose form calls saveSettings. The stored key is never sent to it. */
export function openSettings(): void {
  const properties = gas.properties();
  const html = settingsHtml(loadSettings(properties), loadApiKey(properties) !== '');
  gas
    .ui()
    .showModalDialog(gas.html(html).setWidth(460).setHeight(600), 'Pengaturan Kabar Broadcast');
}

/**
 * Called by the dialog through google.script.run. Stores everything in script properties; an empty
 * key field keeps the stored key. Throws (shown in the dialog) when a field is invalid.
 */
export function saveSettings(form: SettingsForm): string {
  const properties = gas.properties();
  const parsed = parseSettingsForm(form ?? {}, loadSettings(properties));
  if (!parsed.ok) throw new Error(parsed.errors.join(' '));
  if (!parsed.apiKey && !loadApiKey(properties)) {
    throw new Error('API key / access token wajib diisi.');
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

export function settingsHtml(settings: Settings, hasKey: boolean): string {
  const field = (name: keyof Settings, label: string, help = '', type = 'text') =>
    `<label>${label}<input name="${name}" type="${type}" value="${escapeHtml(settings[name])}">${help ? `<small>${help}</small>` : ''}</label>`;
  const option = (value: string, label: string) =>
    `<option value="${value}"${settings.gateway === value ? ' selected' : ''}>${label}</option>`;
  return `<!DOCTYPE html>
<html><head><base target="_top"><style>
body{font-family:Arial,sans-serif;font-size:13px;margin:0 4px}
label{display:block;margin:8px 0}
input,select{display:block;width:100%;box-sizing:border-box;padding:5px;margin-top:3px}
small{color:#666}
#message{margin-top:10px;white-space:pre-wrap}
.error{color:#b00020}
</style></head><body>
<form id="settings" onsubmit="save(event)">
<label>Gateway<select name="gateway">${option('kirem', 'Kirem')}${option('meta', 'Meta WhatsApp Cloud API')}</select></label>
<label>API key / access token<input name="apiKey" type="password" autocomplete="off" placeholder="${hasKey ? 'tersimpan — kosongkan untuk tetap memakai yang lama' : 'wajib diisi'}"></label>
${field('phoneNumberId', 'Phone number ID', 'Wajib untuk Meta; opsional untuk Kirem.')}
${field('baseUrl', 'Base URL', `Kosong: ${DEFAULT_BASE_URLS.kirem} (Kirem) atau ${DEFAULT_BASE_URLS.meta} (Meta).`)}
${field('templateName', 'Nama template', 'Isi {{1}} = Nama, {{2}} = Kode Promo.')}
${field('language', 'Bahasa template', 'Misalnya id atau en_US.')}
${field('ratePerSecond', 'Pesan per detik', 'Batas gateway; Kirem dan Meta: 80.', 'number')}
${field('timeBudgetSeconds', 'Batas waktu per eksekusi (detik)', 'Sesudah ini broadcast berlanjut otomatis lewat trigger; Apps Script berhenti di 360.', 'number')}
<button type="submit">Simpan</button>
</form>
<div id="message"></div>
<script>
function save(event) {
  event.preventDefault();
  var form = document.getElementById('settings');
  var data = {};
  for (var i = 0; i < form.elements.length; i++) {
    var element = form.elements[i];
    if (element.name) data[element.name] = element.value;
  }
  var message = document.getElementById('message');
  message.className = '';
  message.textContent = 'Menyimpan...';
  google.script.run
    .withSuccessHandler(function (text) { message.textContent = text; form.apiKey.value = ''; })
    .withFailureHandler(function (error) { message.className = 'error'; message.textContent = error.message; })
    .saveSettings(data);
}
</script>
</body></html>`;
}
