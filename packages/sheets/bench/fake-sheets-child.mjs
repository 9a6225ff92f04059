// The fake Sheets v4 server in its own process, so it neither shares the benchmark's event loop
// nor counts toward its memory. Driven over IPC by broadcast.bench.mjs.
import { startFakeSheetsServer } from '../dist/testing.js';

export const TOKEN = 'ya29.bench-access-token';
const HEADER = ['Nomor HP', 'Nama', 'Kode Promo', 'Status', 'WA ID', 'Waktu Kirim', 'Opt-Out'];

const server = await startFakeSheetsServer({ accessTokens: [TOKEN] });

/** The seed's sheet: `count` customers, phones typed the ways people type them. */
function sheet(count, offset) {
  const rows = [HEADER];
  for (let i = 0; i < count; i++) {
    const subscriber = String(81_230_000_000 + offset + i);
    const forms = [`0${subscriber}`, Number(subscriber), `+62 ${subscriber}`, `62${subscriber}`];
    rows.push([forms[i % 4], `Pelanggan ${i + 1}`, `PROMO${i + 1}`]);
  }
  return rows;
}

process.on('message', (message) => {
  if (message.cmd === 'load') {
    server.setValues('Sheet1', sheet(message.count, message.offset));
    server.calls.length = 0;
    process.send({ id: message.id, ok: true });
  } else if (message.cmd === 'check') {
    const rows = server.values('Sheet1').slice(1);
    process.send({
      id: message.id,
      sent: rows.filter((row) => row[3] === 'SUKSES' && String(row[4] ?? '') !== '').length,
      reads: server.calls.filter((call) => call.kind === 'get').length,
      writes: server.calls.filter((call) => call.kind === 'batchUpdate' && call.status === 200)
        .length,
      rejected: server.calls.filter((call) => call.status !== 200).length,
    });
  } else if (message.cmd === 'close') {
    server.close().then(() => process.exit(0));
  }
});

process.send({
  ready: true,
  rootUrl: server.rootUrl,
  spreadsheetId: server.spreadsheetId,
  token: TOKEN,
});
