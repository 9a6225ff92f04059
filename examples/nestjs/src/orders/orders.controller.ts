// Nest injects constructor parameters by their class, so these are value imports on purpose.
import { WhatsAppService } from '@kabar/nestjs';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';

interface ShippedOrder {
  phone: string;
  name: string;
  courier: string;
  trackingNumber: string;
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly whatsapp: WhatsAppService) {}

  /** The warehouse marks an order shipped; the customer hears about it on WhatsApp. */
  @Post(':id/shipped')
  @HttpCode(202)
  async shipped(@Param('id') id: string, @Body() order: ShippedOrder) {
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
    return { notified: true, messageId: sent.id };
  }
}
