/** The page served at '/': stored messages, newest first, polled from the control API every 2 s. */
export const INBOX_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kabar-sandbox inbox</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
  h1 { font-size: 1.25rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
  th { background: #f6f8fa; }
  td.text { white-space: pre-wrap; }
  .muted { color: #656d76; }
</style>
</head>
<body>
<h1>kabar-sandbox inbox</h1>
<p class="muted"><span id="count">0</span> messages &middot; control API at <code>/api/v1</code></p>
<table>
  <thead><tr><th>time</th><th>provider</th><th>to</th><th>type</th><th>text</th><th>id</th></tr></thead>
  <tbody id="messages"></tbody>
</table>
<script>
  const body = document.getElementById('messages');
  const count = document.getElementById('count');
  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }
  async function refresh() {
    try {
      const response = await fetch('/api/v1/messages?limit=200');
      const { total, messages } = await response.json();
      count.textContent = String(total);
      body.replaceChildren(...messages.map((m) => {
        const row = document.createElement('tr');
        row.append(
          cell(new Date(m.createdAt).toLocaleTimeString()),
          cell(m.provider),
          cell(m.to),
          cell(m.type),
          cell(m.text, 'text'),
          cell(m.id, 'muted'),
        );
        return row;
      }));
    } catch {
      count.textContent = '? (sandbox unreachable)';
    }
  }
  refresh();
  setInterval(refresh, 2000);
</script>
</body>
</html>
`;
