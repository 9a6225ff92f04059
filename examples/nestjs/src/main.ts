import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

// rawBody: the webhook's signature is checked over the bytes Meta sent, not a re-serialised body.
const app = await NestFactory.create(AppModule, { rawBody: true });
app.enableShutdownHooks();
const port = Number(process.env.PORT ?? 4040);
await app.listen(port, process.env.HOST ?? '127.0.0.1');
console.log(`NestJS example on http://127.0.0.1:${port} (webhook: /whatsapp/webhook)`);
