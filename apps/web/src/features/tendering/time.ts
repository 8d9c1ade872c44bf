// Beijing wall-clock text ↔ instants for deadline fields: people type `2026-09-24 09:30` meaning Beijing time
// wherever their device is (lib/format.ts shows times the same way).
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { TZ } from '../../lib/format';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(customParseFormat);

/** `2026-09-24 09:30` (Beijing) → ISO instant; undefined when it is not such a text. */
export function bjTextToIso(text: string): string | undefined {
  const s = text.trim();
  if (!/^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}$/.test(s)) return undefined;
  if (!dayjs(s, 'YYYY-MM-DD HH:mm', true).isValid()) return undefined;
  return dayjs.tz(s, 'YYYY-MM-DD HH:mm', TZ).toISOString();
}

/** ISO instant → `2026-09-24 09:30` in Beijing. */
export function isoToBjText(iso: string | null | undefined): string {
  if (!iso) return '';
  return dayjs(iso).tz(TZ).format('YYYY-MM-DD HH:mm');
}
