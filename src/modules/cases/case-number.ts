// Case numbers (办件编号, standards.md): 6-digit region + YYYYMMDD + 1-digit channel
// (1 web, 2 window, 3 mobile, 4 self-service terminal, 5 partner app) + 6-digit daily serial
// + an ISO 7064 MOD 11-2 check character.
import { mod11_2 } from '../../platform/identifiers/iso7064.ts';

export const CHANNELS = { web: 1, window: 2, mobile: 3, kiosk: 4, partner: 5 } as const;
export type Channel = keyof typeof CHANNELS;

export function formatCaseNumber(region6: string, day: string, channel: number, serial: number): string {
  if (!/^\d{6}$/.test(region6) || !/^\d{8}$/.test(day) || !/^[1-5]$/.test(String(channel)) || serial < 1 || serial > 999_999) {
    throw new Error('case number parts out of range');
  }
  const body = `${region6}${day}${channel}${String(serial).padStart(6, '0')}`;
  return body + mod11_2(body);
}

/** Whether `value` is a well-formed case number with a correct check character. */
export function isCaseNumber(value: string): boolean {
  return /^\d{21}[\dX]$/.test(value) && mod11_2(value.slice(0, 21)) === value[21];
}

/** Today's date in Asia/Shanghai as YYYYMMDD (case numbers and deadlines use local days). */
export function shanghaiDay(at = new Date()): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
}
