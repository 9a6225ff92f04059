import { requireSecret, secretMatches } from '@kabar/core';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { type AdminConfig, adminConfig } from './admin.config.js';

/**
 * Lets through requests with `Authorization: Bearer <ADMIN_TOKEN>`: the warehouse system, not the
 * public. Nest builds it at start, so a missing or short token stops the app there.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: string;

  constructor(@Inject(adminConfig.KEY) config: AdminConfig) {
    this.expected = requireSecret(config.token, 'ADMIN_TOKEN');
  }

  canActivate(context: ExecutionContext): boolean {
    const { headers } = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    const header = typeof headers.authorization === 'string' ? headers.authorization : '';
    const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (secretMatches(given, this.expected)) return true;
    throw new UnauthorizedException({
      statusCode: 401,
      error: 'unauthenticated',
      message: 'send Authorization: Bearer <ADMIN_TOKEN>',
    });
  }
}
