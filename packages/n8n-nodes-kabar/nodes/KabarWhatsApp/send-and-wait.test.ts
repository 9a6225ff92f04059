import { useSandbox } from '@kabar/sandbox/vitest';
import {
  type ICredentialDataDecryptedObject,
  type IDataObject,
  NodeOperationError,
  WAIT_INDEFINITELY,
} from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import {
  executeContext,
  RESUME_URL,
  type WaitRecord,
  waitingWebhookContext,
} from '../../shared/test-context';
import { KabarWhatsApp } from './KabarWhatsApp.node';

const sandbox = useSandbox();
const customer = '6281234567890';
const node = new KabarWhatsApp();

const kirem = (): ICredentialDataDecryptedObject => ({ gateway: 'kirem', ...sandbox.kirem });
const waviro = (): ICredentialDataDecryptedObject => ({ gateway: 'waviro', ...sandbox.waviro });

const question = (parameters: IDataObject = {}): IDataObject => ({
  resource: 'message',
  operation: 'sendAndWait',
  to: '0812-3456-7890',
  message: 'Kirim pesanan #1001 hari ini?',
  answers: {
    answer: [
      { label: 'Ya, kirim', value: 'kirim' },
      { label: 'Tunda', value: '' },
    ],
  },
  options: {},
  ...parameters,
});

async function ask(
  credentials: ICredentialDataDecryptedObject,
  parameters: IDataObject = {},
  extra: { continueOnFail?: boolean; signatureCall?: boolean } = {},
) {
  const waits: WaitRecord = {};
  const context = executeContext({ credentials, items: [question(parameters)], waits, ...extra });
  const output = await node.execute.call(context);
  return { output, waits, input: context.getInputData() };
}

describe('Send and Wait for Reply: the question', () => {
  it('sends a URL button to the signed resume URL and waits for the time limit', async () => {
    const before = Date.now();
    const { output, waits, input } = await ask(kirem(), {
      options: {
        buttonLabel: 'Jawab',
        limitWaitTime: {
          values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' },
        },
      },
    });
    const sent = await sandbox.latest({ to: customer });
    expect(sent?.payload).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'cta_url',
        body: { text: 'Kirim pesanan #1001 hari ini?' },
        action: { name: 'cta_url', parameters: { display_text: 'Jawab', url: RESUME_URL } },
      },
    });
    const waited = waits.waitTill?.getTime() ?? 0;
    expect(waited).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(waited).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
    expect(waits.signatureRequired).toBe(true);
    // What n8n replaces with the answer when the execution resumes.
    expect(output).toEqual([input]);
  });

  it('waits until a given date, or without a limit for as long as it takes', async () => {
    const until = '2030-01-31T17:00:00.000Z';
    const dated = await ask(kirem(), {
      options: {
        limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: until } },
      },
    });
    expect(dated.waits.waitTill?.toISOString()).toBe(until);
    const open = await ask(kirem());
    expect(open.waits.waitTill).toBe(WAIT_INDEFINITELY);
  });

  it('puts the link in the text on gateways without URL buttons', async () => {
    await ask(waviro());
    expect((await sandbox.latest({ provider: 'waviro' }))?.text).toBe(
      `Kirim pesanan #1001 hari ini?\n\nYa, kirim / Tunda: ${RESUME_URL}`,
    );
  });

  it('works on n8n 2.14 and later, which check every resume URL without being asked', async () => {
    const { waits } = await ask(kirem(), {}, { signatureCall: false });
    expect(waits.signatureRequired).toBeUndefined();
    expect(waits.waitTill).toBe(WAIT_INDEFINITELY);
    expect(await sandbox.messages()).toHaveLength(1);
  });

  it('does not wait when the question cannot be sent', async () => {
    const refused = await ask(kirem(), { to: '12' }).catch((error) => error);
    expect(refused).toBeInstanceOf(NodeOperationError);
    expect(refused.description).toMatch(/invalid_phone/);

    const { output, waits } = await ask(kirem(), { to: '12' }, { continueOnFail: true });
    expect(output).toEqual([
      [{ json: expect.objectContaining({ code: 'invalid_phone' }), pairedItem: { item: 0 } }],
    ]);
    expect(waits.waitTill).toBeUndefined();
  });

  it('refuses answers it could not tell apart, before sending', async () => {
    const twice = ask(kirem(), {
      answers: { answer: [{ label: 'Ya' }, { label: 'Ya' }] },
    });
    await expect(twice).rejects.toThrow('Two answers have the same value');
    await expect(ask(kirem(), { answers: {} })).rejects.toThrow('Add at least one answer');
    expect(await sandbox.messages()).toHaveLength(0);
  });
});

describe('Send and Wait for Reply answered with reply buttons', () => {
  const buttons = (parameters: IDataObject = {}) => ({ answerWith: 'replyButtons', ...parameters });

  it('sends one reply button per answer, its id carrying the resume path and the value', async () => {
    const { output, waits, input } = await ask(kirem(), buttons());
    const sent = await sandbox.latest({ to: customer });
    expect(sent?.payload).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Kirim pesanan #1001 hari ini?' },
        action: {
          buttons: [
            {
              type: 'reply',
              reply: {
                id: 'kabar-wait:/webhook-waiting/42/test-node?signature=abc123#kirim',
                title: 'Ya, kirim',
              },
            },
            {
              type: 'reply',
              reply: {
                id: 'kabar-wait:/webhook-waiting/42/test-node?signature=abc123#Tunda',
                title: 'Tunda',
              },
            },
          ],
        },
      },
    });
    expect(waits).toEqual({ signatureRequired: true, waitTill: WAIT_INDEFINITELY });
    expect(output).toEqual([input]);
  });

  it('refuses a gateway without reply buttons, before sending or waiting', async () => {
    const refused = await ask(waviro(), buttons()).catch((error) => error);
    expect(refused).toBeInstanceOf(NodeOperationError);
    expect(refused.message).toBe("This credential's gateway cannot send reply buttons");
    expect(refused.description).toMatch(/Link to an Answer Page/);
    expect(await sandbox.messages()).toHaveLength(0);
  });

  it("refuses what WhatsApp's reply buttons cannot hold, before sending or waiting", async () => {
    const four = [1, 2, 3, 4].map((n) => ({ label: `Pilihan ${n}` }));
    await expect(ask(kirem(), buttons({ answers: { answer: four } }))).rejects.toThrow(
      'WhatsApp shows at most 3 reply buttons, and there are 4 answers',
    );
    await expect(
      ask(kirem(), buttons({ answers: { answer: [{ label: 'Ya, kirim sekarang juga' }] } })),
    ).rejects.toThrow(
      'The label "Ya, kirim sekarang juga" is longer than a reply button\'s 20 characters',
    );
    // The id holds 'kabar-wait:', the 46-character resume path and query, and '#' before the value.
    const fits = ask(
      kirem(),
      buttons({ answers: { answer: [{ label: 'Ya', value: 'v'.repeat(198) }] } }),
    );
    await expect(fits).resolves.toBeDefined();
    const long = await ask(
      kirem(),
      buttons({ answers: { answer: [{ label: 'Ya', value: 'v'.repeat(199) }] } }),
    ).catch((error) => error);
    expect(long.message).toBe('The value of the answer "Ya" is too long for a reply button');
    expect(long.description).toMatch(/at most 256 characters; with this value it has 257/);
    expect(await sandbox.messages()).toHaveLength(1);
  });
});

describe('Send and Wait for Reply: the answer (webhook)', () => {
  const parameters = question();

  it('shows the question with one button per answer, and keeps waiting', async () => {
    const { context, answer } = waitingWebhookContext({ method: 'GET', parameters });
    const result = await node.webhook.call(context);
    expect(result).toEqual({ noWebhookResponse: true });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = String(answer.body);
    expect(html).toContain('<p>Kirim pesanan #1001 hari ini?</p>');
    expect(html).toContain('<form method="post">');
    expect(html).toContain('<button type="submit" name="answer" value="kirim">Ya, kirim</button>');
    // An answer without a value answers with its label.
    expect(html).toContain('<button type="submit" name="answer" value="Tunda">Tunda</button>');
  });

  it('resumes the workflow with the answer chosen and when', async () => {
    const { context, answer } = waitingWebhookContext({
      method: 'POST',
      body: { answer: 'kirim' },
      parameters,
    });
    const before = new Date().toISOString();
    const result = await node.webhook.call(context);
    expect(result.noWebhookResponse).toBe(true);
    expect(result.workflowData).toEqual([
      [{ json: { data: { answer: 'kirim', label: 'Ya, kirim', answeredAt: expect.any(String) } } }],
    ]);
    const data = (result.workflowData?.[0]?.[0]?.json.data ?? {}) as IDataObject;
    expect(String(data.answeredAt) >= before).toBe(true);
    expect(answer.status).toBe(200);
    expect(String(answer.body)).toContain('Ya, kirim');
  });

  it('answers 400 to an answer that is not offered, and keeps waiting', async () => {
    const { context, answer } = waitingWebhookContext({
      method: 'POST',
      body: { answer: 'batal' },
      parameters,
    });
    expect(await node.webhook.call(context)).toEqual({ noWebhookResponse: true });
    expect(answer.status).toBe(400);
  });

  it('escapes the question and the labels in the page', async () => {
    const { context, answer } = waitingWebhookContext({
      method: 'GET',
      parameters: question({
        message: 'Harga <b>naik</b> & "tetap"?',
        answers: { answer: [{ label: '<script>x()</script>', value: 'a"b' }] },
      }),
    });
    await node.webhook.call(context);
    const html = String(answer.body);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Harga &lt;b&gt;naik&lt;/b&gt; &amp; &quot;tetap&quot;?');
    expect(html).toContain('value="a&quot;b">&lt;script&gt;x()&lt;/script&gt;</button>');
  });
});
