import { maskPhone } from '@kabar/core';

// Nine or more digits, optionally led by '+' and split by single spaces or dashes: every phone
// number form Kabar accepts, but not a date (eight digits) or a port.
const PHONE_LIKE = /\+?\d(?:[ -]?\d){8,}/g;

/**
 * A log line with every phone number in it masked. Worker errors come from BullMQ and Redis and
 * name jobs by id, and a job id holds the row's key, which is often a phone number.
 */
export function maskPhoneNumbers(line: string): string {
  return line.replace(PHONE_LIKE, (number) => maskPhone(number));
}
