import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { adminConfig } from './admin.config.js';
import { OrdersController } from './orders.controller.js';

@Module({ imports: [ConfigModule.forFeature(adminConfig)], controllers: [OrdersController] })
export class OrdersModule {}
