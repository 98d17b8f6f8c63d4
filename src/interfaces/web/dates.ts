/** The instant a local calendar day starts in a time zone (for filters typed as dates), as ISO. */
export function localDayStart(day: string, timeZone: string): string {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  // The zone's offset at that moment, e.g. GMT+08:00; the day starts that much earlier in UTC.
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(utcMidnight).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
  return new Date(utcMidnight.getTime() - minutes * 60_000).toISOString();
}

/** The day after a YYYY-MM-DD day. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
