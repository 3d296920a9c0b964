// Appointment times in UK (Europe/London) time, as the server gives them
// ("Monday 12 May 2027, 09:00"), grouped by day, and the picker of open slots
// a patient books from and either side moves an appointment to. A clinician
// cannot read their own open slots from the server (that route is a linked
// patient's), so `clinicSlots` works them out from their availability with the
// server's rules: weekly slots in UK time, none on closed days, none in the hour
// the clocks skip, the first of the hour that repeats, none started or booked.
import { html } from '../../vendor/preact-htm.module.js';
import { t } from '../i18n.js';
import { ErrorMessage } from './forms.js';

export const ZONE = 'Europe/London';
// Days of slots shown at a time, and how far ahead bookings are taken (the store's MAX_BOOKING_DAYS_AHEAD).
export const SLOT_DAYS = 14;
export const MAX_DAYS_AHEAD = 366;

const numeric = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const wordy = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

function parts(formatter, ms) {
  const found = {};
  for (const part of formatter.formatToParts(new Date(ms))) found[part.type] = part.value;
  return found;
}

/** The UK date (`YYYY-MM-DD`) and minute of the day of an instant. */
export function london(ms) {
  const p = parts(numeric, ms);
  return { date: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute) };
}

/** Today's date in the UK. */
export function todayInLondon(now = Date.now()) {
  return london(now).date;
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(date, days) {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** ISO weekday (1 Monday … 7 Sunday) of a date. */
export function weekdayOf(date) {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
}

/** "HH:MM" of minutes after midnight. */
export function clock(minute) {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** "Monday 12 May 2027" of a `YYYY-MM-DD` date. */
export function dayText(date) {
  const [year, month, day] = date.split('-').map(Number);
  // Midday UTC is on the same date in the UK, in summer and in winter.
  const p = parts(wordy, Date.UTC(year, month - 1, day, 12));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** The instant of a UK wall-clock time, or null in the hour the clocks skip; the first of the hour that repeats. */
export function londonInstant(date, minute) {
  const [year, month, day] = date.split('-').map(Number);
  for (const offset of [60, 0]) {
    const ms = Date.UTC(year, month - 1, day, 0, minute) - offset * 60000;
    const seen = london(ms);
    if (seen.date === date && seen.minute === minute) return ms;
  }
  return null;
}

/** An instant as the server writes one (RFC 3339, UTC, whole seconds). */
export function rfc3339(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The server's "Monday 12 May 2027, 09:00" as its day and its time. */
export function splitLocal(localStart) {
  const at = localStart.lastIndexOf(', ');
  return at < 0 ? { day: localStart, time: '' } : { day: localStart.slice(0, at), time: localStart.slice(at + 2) };
}

/** "Monday 12 May 2027 at 09:00" from the server's local text. */
export function whenText(localStart) {
  const { day, time } = splitLocal(localStart);
  return time ? t('appointments.when', { day, time }) : day;
}

/** Minutes between two RFC 3339 instants. */
export function minutesBetween(start, end) {
  return Math.round((new Date(end).getTime() - new Date(start).getTime()) / 60000);
}

/** Items grouped by their UK day, in the order given: `[{day, items}]`. */
export function groupByDay(items, localOf = (item) => item.local_start) {
  const groups = [];
  for (const item of items) {
    const { day } = splitLocal(localOf(item));
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

/**
 * A clinician's open slots on the `days` UK dates from `from`, worked out from
 * `availability` (as `GET /api/me/availability` answers it) less `booked`
 * (RFC 3339 starts of live bookings) and slots started by `now`; each as the
 * slots route answers one.
 */
export function clinicSlots(availability, booked, from, days, now = Date.now()) {
  const taken = new Set(booked.map((start) => new Date(start).getTime()));
  const closed = (date) => availability.closures.some((closure) => closure.first_day <= date && date <= closure.last_day);
  const slots = [];
  for (let offset = 0; offset < days; offset += 1) {
    const date = addDays(from, offset);
    if (closed(date)) continue;
    const weekday = weekdayOf(date);
    for (const weekly of availability.weekly) {
      if (weekly.weekday !== weekday) continue;
      const [hours, minutes] = weekly.start.split(':').map(Number);
      const minute = hours * 60 + minutes;
      const start = londonInstant(date, minute);
      if (start === null || start <= now || taken.has(start)) continue;
      slots.push({
        starts_at: rfc3339(start),
        ends_at: rfc3339(start + weekly.length_minutes * 60000),
        local_start: `${dayText(date)}, ${clock(minute)}`,
      });
    }
  }
  return slots.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
}

/**
 * The open slots as radios, a fieldset for each day (its legend the day, each
 * radio its time). The first radio carries `id`, so an error can point at it.
 */
export function SlotPicker({ id = 'slot', slots, error, legend }) {
  const groups = groupByDay(slots);
  let index = 0;
  return html`
    <div class=${`form-group${error ? ' form-group--error' : ''}`}>
      <fieldset class="slot-days" aria-describedby=${error ? `${id}-error` : undefined}>
        <legend>${legend}</legend>
        <${ErrorMessage} id=${id} message=${error} />
        ${groups.map((group) => html`
          <fieldset class="slot-day">
            <legend>${group.day}</legend>
            <div class="choices choices--inline">
              ${group.items.map((slot) => {
                const radioId = index === 0 ? id : `${id}-${index}`;
                index += 1;
                return html`
                  <label class="choice slot-choice" for=${radioId}>
                    <input type="radio" id=${radioId} name=${id} value=${slot.starts_at} />
                    <span>${splitLocal(slot.local_start).time}</span>
                  </label>`;
              })}
            </div>
          </fieldset>`)}
      </fieldset>
    </div>`;
}
