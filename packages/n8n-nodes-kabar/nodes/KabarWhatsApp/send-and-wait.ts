import type { OutgoingMessage, WhatsAppClient } from '@kabar/core';
import {
  type IDataObject,
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeProperties,
  type IWebhookDescription,
  type IWebhookFunctions,
  type IWebhookResponseData,
  NodeOperationError,
  SEND_AND_WAIT_OPERATION,
  WAIT_INDEFINITELY,
} from 'n8n-workflow';
import { senderOption } from './sender';

/**
 * Send and Wait for Reply, n8n's human-in-the-loop pattern: the node sends the question with a
 * link to this execution's signed resume URL and puts the execution to wait. The link opens a page
 * with one button per answer; the tap POSTs the answer back to the same URL, n8n calls
 * `sendAndWaitWebhook`, and the workflow goes on with the answer. Opening the link alone answers
 * nothing, so a link preview or a virus scanner fetching it cannot choose for the customer.
 */

/** The waiting webhooks n8n routes the resume URL to: path `<node id>`, GET and POST. */
export const SEND_AND_WAIT_WEBHOOKS: IWebhookDescription[] = [
  {
    name: 'default',
    httpMethod: 'GET',
    responseMode: 'onReceived',
    responseData: '',
    path: '={{ $nodeId }}',
    restartWebhook: true,
    isFullPath: true,
  },
  {
    name: 'default',
    httpMethod: 'POST',
    responseMode: 'onReceived',
    responseData: '',
    path: '={{ $nodeId }}',
    restartWebhook: true,
    isFullPath: true,
  },
];

const show = { show: { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION] } };

/** The fields of Send and Wait for Reply; the recipient is the shared To field. */
export const sendAndWaitProperties: INodeProperties[] = [
  {
    displayName: 'Message',
    name: 'message',
    type: 'string',
    typeOptions: { rows: 4 },
    default: '',
    required: true,
    placeholder: 'e.g. Kirim pesanan #1001 hari ini?',
    description: 'The question; the link to answer it follows it',
    displayOptions: show,
  },
  {
    displayName: 'Answers',
    name: 'answers',
    type: 'fixedCollection',
    typeOptions: { multipleValues: true, sortable: true },
    placeholder: 'Add Answer',
    default: {
      answer: [
        { label: 'Approve', value: 'approve' },
        { label: 'Decline', value: 'decline' },
      ],
    },
    description: 'The buttons on the answer page, one per answer',
    displayOptions: show,
    options: [
      {
        name: 'answer',
        displayName: 'Answer',
        values: [
          {
            displayName: 'Label',
            name: 'label',
            type: 'string',
            default: '',
            description: 'What the button says',
          },
          {
            displayName: 'Value',
            name: 'value',
            type: 'string',
            default: '',
            description: 'What the workflow receives as data.answer; the label when empty',
          },
        ],
      },
    ],
  },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: show,
    options: [
      {
        displayName: 'Button Label',
        name: 'buttonLabel',
        type: 'string',
        default: 'Answer',
        description:
          'On gateways with URL buttons (Kirem, Meta) the link is a button with this label, at most 20 characters; elsewhere it follows the message as text',
      },
      {
        displayName: 'Limit Wait Time',
        name: 'limitWaitTime',
        type: 'fixedCollection',
        description:
          'Whether to stop waiting after a time; the workflow then goes on with the input item unchanged (no data.answer)',
        default: {
          values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' },
        },
        options: [
          {
            displayName: 'Values',
            name: 'values',
            values: [
              {
                displayName: 'Limit Type',
                name: 'limitType',
                type: 'options',
                default: 'afterTimeInterval',
                options: [
                  {
                    name: 'After Time Interval',
                    value: 'afterTimeInterval',
                    description: 'Waits for a certain amount of time',
                  },
                  {
                    name: 'At Specified Time',
                    value: 'atSpecifiedTime',
                    description: 'Waits until a date and time',
                  },
                ],
              },
              {
                displayName: 'Amount',
                name: 'resumeAmount',
                type: 'number',
                typeOptions: { minValue: 0, numberPrecision: 2 },
                default: 45,
                displayOptions: { show: { limitType: ['afterTimeInterval'] } },
              },
              {
                displayName: 'Unit',
                name: 'resumeUnit',
                type: 'options',
                default: 'minutes',
                options: [
                  { name: 'Minutes', value: 'minutes' },
                  { name: 'Hours', value: 'hours' },
                  { name: 'Days', value: 'days' },
                ],
                displayOptions: { show: { limitType: ['afterTimeInterval'] } },
              },
              {
                displayName: 'Max Date and Time',
                name: 'maxDateAndTime',
                type: 'dateTime',
                default: '',
                displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
              },
            ],
          },
        ],
      },
      senderOption,
    ],
  },
];

/** One answer the customer can give. */
export interface Answer {
  label: string;
  value: string;
}

/** The Answers collection, checked: at least one, each labelled, no value twice. */
function answersOf(context: IExecuteFunctions | IWebhookFunctions, raw: unknown): Answer[] {
  const rows = ((raw ?? {}) as { answer?: Partial<Answer>[] }).answer ?? [];
  const answers = rows.map(({ label, value }) => {
    const text = String(label ?? '').trim();
    return { label: text, value: String(value ?? '').trim() || text };
  });
  const problem =
    answers.length === 0
      ? 'Add at least one answer'
      : answers.some((answer) => answer.label === '')
        ? 'Every answer needs a label'
        : new Set(answers.map((answer) => answer.value)).size < answers.length
          ? 'Two answers have the same value'
          : undefined;
  if (problem) throw new NodeOperationError(context.getNode(), problem, { itemIndex: 0 });
  return answers;
}

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** When to stop waiting: Options > Limit Wait Time, or never. */
function waitTill(context: IExecuteFunctions, options: IDataObject): Date {
  const limit = (options.limitWaitTime as { values?: IDataObject } | undefined)?.values;
  if (!limit) return WAIT_INDEFINITELY;
  const until =
    limit.limitType === 'atSpecifiedTime'
      ? new Date(String(limit.maxDateAndTime ?? ''))
      : new Date(
          Date.now() +
            Number(limit.resumeAmount ?? 45) * (UNIT_MS[String(limit.resumeUnit)] ?? NaN),
        );
  if (Number.isNaN(until.getTime())) {
    throw new NodeOperationError(context.getNode(), 'Limit Wait Time is not a valid time', {
      itemIndex: 0,
    });
  }
  return until;
}

/**
 * Sends the question of the first item and puts the execution to wait, as n8n's send-and-wait
 * nodes do: one question per execution. Answers `[input items]`, which n8n discards when the
 * execution resumes: the webhook's answer, or on timeout the input item unchanged, follows.
 */
export async function sendAndWait(
  context: IExecuteFunctions,
  client: WhatsAppClient,
): Promise<INodeExecutionData[][]> {
  const answers = answersOf(context, context.getNodeParameter('answers', 0, {}));
  const options = context.getNodeParameter('options', 0, {}) as IDataObject;
  const until = waitTill(context, options);
  const question = String(context.getNodeParameter('message', 0));
  // n8n 2.14 dropped this call: from then on it checks every resume URL's signature itself.
  if (typeof context.setSignatureValidationRequired === 'function') {
    context.setSignatureValidationRequired();
  }
  const url = context.getSignedResumeUrl();
  const to = String(context.getNodeParameter('to', 0));
  const message: OutgoingMessage = client.supports('interactive.cta_url')
    ? {
        to,
        interactive: {
          type: 'cta_url',
          body: question,
          button: { text: String(options.buttonLabel ?? 'Answer'), url },
        },
      }
    : { to, text: `${question}\n\n${answers.map((a) => a.label).join(' / ')}: ${url}` };
  await client.send(message);
  await context.putExecutionToWait(until);
  return [context.getInputData()];
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

function page(content: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5}p{white-space:pre-wrap}button{display:block;width:100%;margin:.5rem 0;padding:.8rem;font-size:1rem;border-radius:.5rem;border:1px solid #128c7e;background:#fff;color:#075e54}</style></head><body>${content}</body></html>`;
}

/** The page the link opens: the question, and a form that posts one answer back to the same URL. */
function questionPage(question: string, answers: Answer[]): string {
  const buttons = answers
    .map(
      (answer) =>
        `<button type="submit" name="answer" value="${escapeHtml(answer.value)}">${escapeHtml(answer.label)}</button>`,
    )
    .join('');
  return page(`<p>${escapeHtml(question)}</p><form method="post">${buttons}</form>`);
}

function reply(context: IWebhookFunctions, status: number, html: string): void {
  context
    .getResponseObject()
    .status(status)
    .set('content-type', 'text/html; charset=utf-8')
    .send(html);
}

/**
 * The waiting webhook: a GET shows the answer page and leaves the execution waiting; a POST of
 * one of the answers resumes it with `{ data: { answer, label, answeredAt } }`. Anything else is
 * answered 400 and the execution keeps waiting.
 */
export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
  const answers = answersOf(this, this.getNodeParameter('answers', {}));
  if (this.getRequestObject().method !== 'POST') {
    reply(this, 200, questionPage(String(this.getNodeParameter('message', '')), answers));
    return { noWebhookResponse: true };
  }
  const given = String(this.getBodyData().answer ?? '');
  const answer = answers.find((candidate) => candidate.value === given);
  if (!answer) {
    reply(this, 400, page('<p>That is not one of the answers.</p>'));
    return { noWebhookResponse: true };
  }
  reply(this, 200, page(`<p>&#10003; ${escapeHtml(answer.label)}</p>`));
  return {
    noWebhookResponse: true,
    workflowData: [
      [
        {
          json: {
            data: {
              answer: answer.value,
              label: answer.label,
              answeredAt: new Date().toISOString(),
            },
          },
        },
      ],
    ],
  };
}
