import { createClient, maskPhone } from '@kabar/core';
import { kirem } from '@kabar/core/kirem';
import { createOtpEngine } from '@kabar/core/otp';
import { otpRouter, requireVerifiedPhone } from '@kabar/express';
import express, { type Express } from 'express';
import { LOGIN_PAGE } from './login-page.js';

/** What the login app needs: the gateway, and the two secrets it must never share. */
export interface LoginAppOptions {
  kiremApiKey: string;
  kiremBaseUrl: string;
  otpSecret: string;
  tokenSecret: string;
}

/** An Express app with WhatsApp OTP login: the whole integration is the two `app.use` lines. */
export function createLoginApp(options: LoginAppOptions): Express {
  const wa = createClient({
    provider: kirem({ apiKey: options.kiremApiKey, baseUrl: options.kiremBaseUrl }),
  });
  const engine = createOtpEngine({
    secret: options.otpSecret,
    delivery: {
      client: wa,
      template: { name: 'otp_verification', language: 'id', button: 'none' },
    },
  });

  const app = express();
  app.use(
    '/otp',
    otpRouter({
      engine,
      purposes: ['login'],
      allowedCountries: ['ID'],
      token: { secret: options.tokenSecret },
      // Logs are read by more people than customer data should be: the number goes in masked.
      onVerified: (phone) => console.log(`login: ${maskPhone(phone)} verified`),
    }),
  );
  app.get('/me', requireVerifiedPhone({ secret: options.tokenSecret }), (req, res) => {
    res.json({ phone: (req as { verifiedPhone?: string }).verifiedPhone });
  });
  app.get('/', (_req, res) => {
    res.type('html').send(LOGIN_PAGE);
  });
  return app;
}
