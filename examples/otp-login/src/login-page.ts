/** A one-file login page: ask for the number, then the code, then show who is logged in. */
export const LOGIN_PAGE = `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Masuk dengan WhatsApp</title>
<style>body{font:16px system-ui,sans-serif;max-width:22rem;margin:4rem auto}input,button{font:inherit;padding:.4rem;margin:.2rem 0;width:100%}#status{color:#555}</style>
</head><body>
<h1>Masuk dengan WhatsApp</h1>
<form id="phone-form"><input name="phone" placeholder="0812-3456-7890" required><button>Kirim kode</button></form>
<form id="code-form" hidden><input name="code" inputmode="numeric" placeholder="6 digit kode" required><button>Masuk</button></form>
<p id="status"></p>
<script>
const status = document.getElementById('status');
let phone = '';
async function post(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}
document.getElementById('phone-form').onsubmit = async (event) => {
  event.preventDefault();
  phone = event.target.phone.value;
  const answer = await post('/otp/request', { phone, purpose: 'login' });
  if (!answer.success) { status.textContent = answer.error.message; return; }
  status.textContent = 'Kode dikirim ke WhatsApp ' + answer.data.phone + '.';
  document.getElementById('code-form').hidden = false;
};
document.getElementById('code-form').onsubmit = async (event) => {
  event.preventDefault();
  const answer = await post('/otp/verify', { phone, purpose: 'login', code: event.target.code.value });
  if (!answer.success) { status.textContent = answer.error.message; return; }
  const me = await fetch('/me', { headers: { authorization: 'Bearer ' + answer.data.token } }).then((r) => r.json());
  status.textContent = 'Masuk sebagai ' + me.phone;
};
</script></body></html>`;
