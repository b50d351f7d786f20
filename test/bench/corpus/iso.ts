/** Fast ISO-8601 formatting (`2024-03-04T09:15:27.301Z`) for timestamps that mostly share an hour. */
export class IsoClock {
  private hour = -1;
  private prefix = '';

  format(ts: number): string {
    const rem = ts % 3_600_000;
    const hour = ts - rem;
    if (hour !== this.hour) {
      this.hour = hour;
      this.prefix = new Date(hour).toISOString().slice(0, 14);
    }
    const min = Math.floor(rem / 60_000);
    const sec = Math.floor((rem % 60_000) / 1000);
    const ms = rem % 1000;
    return `${this.prefix}${min < 10 ? '0' : ''}${min}:${sec < 10 ? '0' : ''}${sec}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  }
}
