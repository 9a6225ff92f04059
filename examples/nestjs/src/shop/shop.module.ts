import { Module } from '@nestjs/common';
import { ShopBot } from './shop.bot.js';

@Module({ providers: [ShopBot] })
export class ShopModule {}
