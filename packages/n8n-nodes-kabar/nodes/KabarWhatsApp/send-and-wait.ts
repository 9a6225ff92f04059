import { LIMITS, type OutgoingMessage, type WhatsAppClient } from '@kabar/core';
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
import { waitButtonId } from './wait-button';

/**
 * Send and Wait for Reply, n8n's human-in-the-loop pattern: the node sends the question and puts
 * the execution to wait until an answer is POSTed to the execution's signed resume URL; n8n then
 * calls `sendAndWaitWebhook` and the workflow goes on with the answer. The customer answers either
 * on a page the question links to (opening the link alone answers nothing, so a link preview or a
 * virus scanner fetching it cannot choose for the customer), or with WhatsApp reply buttons whose
 * tap reaches the Kabar WhatsApp Trigger, which POSTs the answer to the resume URL (`wait-button.ts`).
 */

/** How the customer answers: on the linked answer page, or with reply buttons in WhatsApp. */
type AnswerWith = 'link' | 'replyButtons';

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
    description: 'The question; the link or the buttons to answer it follow it',
    displayOptions: show,
  },
  {
    displayName: 'Answer With',
    name: 'answerWith',
    type: 'options',
    noDataExpression: true,
    // Workflows saved before the setting existed keep the link.
    default: 'link',
    description: 'How the customer answers',
    displayOptions: show,
    options: [
      {
        name: 'Link to an Answer Page',
        value: 'link',
        description: 'A link to a page with one button per answer; works on every gateway',
      },
      {
        name: 'Reply Buttons (Through the Kabar Trigger)',
        value: 'replyButtons',
        description:
          'WhatsApp reply buttons (Kirem, Meta; at most 3, labels up to 20 characters). The tap reaches the gateway webhook, so an active Kabar WhatsApp Trigger for the same gateway in this n8n must receive it.',
      },
    ],
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
    description: 'One button per answer, on the answer page or in WhatsApp',
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
        displayOptions: { show: { '/answerWith': ['link'] } },
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

/** The question with the link: a URL button where the gateway has them, else in the text. */
function linkMessage(
  client: WhatsAppClient,
  to: string,
  question: string,
  answers: Answer[],
  url: string,
  options: IDataObject,
): OutgoingMessage {
  if (!client.supports('interactive.cta_url')) {
    return { to, text: `${question}\n\n${answers.map((a) => a.label).join(' / ')}: ${url}` };
  }
  const button = { text: String(options.buttonLabel ?? 'Answer'), url };
  return { to, interactive: { type: 'cta_url', body: question, button } };
}

/**
 * The question with one reply button per answer, each id carrying the resume URL and the value.
 * WhatsApp's limits are checked here, so the error names the answer to change.
 */
function replyButtonsMessage(
  context: IExecuteFunctions,
  client: WhatsAppClient,
  to: string,
  question: string,
  answers: Answer[],
  url: string,
): OutgoingMessage {
  const fail = (message: string, description: string): never => {
    throw new NodeOperationError(context.getNode(), message, { itemIndex: 0, description });
  };
  if (!client.supports('interactive.buttons')) {
    fail(
      "This credential's gateway cannot send reply buttons",
      'Use a Kirem or Meta credential, or set Answer With to Link to an Answer Page.',
    );
  }
  if (answers.length > LIMITS.buttons) {
    fail(
      `WhatsApp shows at most ${LIMITS.buttons} reply buttons, and there are ${answers.length} answers`,
      'Remove answers, or set Answer With to Link to an Answer Page.',
    );
  }
  const buttons = answers.map((answer) => {
    if (answer.label.length > LIMITS.buttonTitle) {
      fail(
        `The label "${answer.label}" is longer than a reply button's ${LIMITS.buttonTitle} characters`,
        'Shorten the label.',
      );
    }
    const id = waitButtonId(url, answer.value);
    if (id.length > LIMITS.buttonId) {
      fail(
        `The value of the answer "${answer.label}" is too long for a reply button`,
        `A button's id holds the resume URL and the value, at most ${LIMITS.buttonId} characters; with this value it has ${id.length}. Shorten the value.`,
      );
    }
    return { id, title: answer.label };
  });
  return { to, interactive: { type: 'buttons', body: question, buttons } };
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
  const answerWith = context.getNodeParameter('answerWith', 0, 'link') as AnswerWith;
  let message: OutgoingMessage;
  switch (answerWith) {
    case 'link':
      message = linkMessage(client, to, question, answers, url, options);
      break;
    case 'replyButtons':
      message = replyButtonsMessage(context, client, to, question, answers, url);
      break;
    default:
      throw new NodeOperationError(context.getNode(), `Unknown Answer With "${answerWith}"`);
  }
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
