// Nest injects constructor parameters by their class, so these are value imports on purpose.
import { WhatsAppHealthIndicator } from '@kabar/nestjs';
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly whatsapp: WhatsAppHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.whatsapp.isHealthy('whatsapp')]);
  }
}
