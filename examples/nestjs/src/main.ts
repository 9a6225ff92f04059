import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { refuseDevSecretsOn } from './dev-secrets.js';

const host = process.env.HOST ?? '127.0.0.1';
refuseDevSecretsOn(host);
// rawBody: the webhook's signature is checked over the bytes Meta sent, not a re-serialised body.
const app = await NestFactory.create<NestExpressApplication>(AppModule, { rawBody: true });
// Meta's webhooks can carry several megabytes (batched statuses); Nest's parser stops at 100 kB.
// The OTP routes keep their own 10 KiB cap.
app.useBodyParser('json', { limit: '3mb' });
app.enableShutdownHooks();
const port = Number(process.env.PORT ?? 4040);
await app.listen(port, host);
console.log(`NestJS example on http://${host}:${port} (webhook: /whatsapp/webhook)`);
