import { KabarError, maskPhone, tryNormalizePhone } from '@kabar/core';
// Nest injects constructor parameters by their class, so these are value imports on purpose.
import { WhatsAppService } from '@kabar/nestjs';
import {
  Body,
  Controller,
  HttpCode,
  Logger,
  Param,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { KabarErrorFilter } from '../kabar-error.filter.js';
import { AdminTokenGuard } from './admin-token.guard.js';

interface ShippedOrder {
  phone: string;
  name: string;
  courier: string;
  trackingNumber: string;
}

@Controller('orders')
@UseGuards(AdminTokenGuard)
@UseFilters(KabarErrorFilter)
export class OrdersController {
  private readonly logger = new Logger(OrdersController.name);

  constructor(private readonly whatsapp: WhatsAppService) {}

  /** The warehouse marks an order shipped; the customer hears about it on WhatsApp. */
  @Post(':id/shipped')
  @HttpCode(202)
  async shipped(@Param('id') id: string, @Body() order: ShippedOrder) {
    // Logs are read by more people than customer data should be: numbers go in masked (and
    // normalised first, so one customer reads the same however the number was written).
    const to = maskPhone(tryNormalizePhone(order.phone) ?? order.phone);
    try {
      const sent = await this.whatsapp.send({
        to: order.phone,
        interactive: {
          type: 'buttons',
          body:
            `Halo ${order.name}, pesanan #${id} sudah dikirim dengan ${order.courier}. ` +
            `Nomor resi: ${order.trackingNumber}.`,
          buttons: [{ id: `lacak:${id}`, title: 'Lacak paket' }],
        },
      });
      this.logger.log(`order #${id}: ${to} notified`);
      return { notified: true, messageId: sent.id };
    } catch (error) {
      const code = KabarError.isInstance(error) ? error.code : 'error';
      this.logger.warn(`order #${id}: could not notify ${to} (${code})`);
      throw error;
    }
  }
}
