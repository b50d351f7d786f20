import type { AuditEvent } from '../../../shared/event.ts';
import { ROW, type StoredEventReader, type StoredRow } from '../store/exportRows.ts';
import type { Pseudonymizer } from './pseudonym.ts';

/** Per object, what the manifest lists: the events of it exported and their first and last line. */
export interface ObjectSpan {
  source: string;
  object: string;
  events: number;
  firstLine: number;
  lastLine: number;
}

/** A field's counts for the report: the most frequent values and how many distinct ones. */
export interface TopValues {
  field: string;
  values: [string, number][];
  distinct: number;
}

const HOUR = 3_600_000;
/** Null values are counted under this name. */
const NONE = '(none)';

/**
 * What the report and the manifest say about an export's events, counted as they stream by: counts by
 * user, entity, action and outcome (by stored id, named at the end), events per hour, the time range, the
 * objects the events came from and the first rows.
 */
export class ExportSummary {
  first: number | null = null;
  last: number | null = null;
  readonly hours = new Map<number, number>();
  /** The first `rowLimit` events (without raw lines, users pseudonymised), for the report. */
  readonly rows: AuditEvent[] = [];
  private readonly reader: StoredEventReader;
  private readonly pseudo: Pseudonymizer | null;
  private readonly rowLimit: number;
  private readonly users: number[] = [];
  private readonly entities: number[] = [];
  private readonly actions: number[] = [];
  private readonly outcomes: number[] = [];
  /** Outcome codes in the order first met (the manifest's byOutcome keeps that order). */
  private readonly outcomeOrder: number[] = [];
  private readonly objects = new Map<number, { events: number; firstLine: number; lastLine: number }>();
  private hour = NaN;
  private inHour = 0;

  constructor(reader: StoredEventReader, pseudo: Pseudonymizer | null, rowLimit: number) {
    this.reader = reader;
    this.pseudo = pseudo;
    this.rowLimit = rowLimit;
  }

  add(rows: readonly StoredRow[]): void {
    for (const r of rows) {
      count(this.users, r[ROW.user]);
      count(this.entities, r[ROW.entity]);
      count(this.actions, r[ROW.action]);
      if (count(this.outcomes, r[ROW.outcome]) === 1) this.outcomeOrder.push(r[ROW.outcome]);
      const ts = r[ROW.ts];
      if (ts !== null) {
        // Events come in time order: one hour's count is kept aside until the hour changes.
        const hour = Math.floor(ts / HOUR) * HOUR;
        if (hour !== this.hour) {
          this.endHour();
          this.hour = hour;
        }
        this.inHour++;
        this.first = this.first === null ? ts : Math.min(this.first, ts);
        this.last = this.last === null ? ts : Math.max(this.last, ts);
      }
      const line = r[ROW.line];
      const o = this.objects.get(r[ROW.object]);
      if (o === undefined) this.objects.set(r[ROW.object], { events: 1, firstLine: line, lastLine: line });
      else {
        o.events++;
        o.firstLine = Math.min(o.firstLine, line);
        o.lastLine = Math.max(o.lastLine, line);
      }
      if (this.rows.length < this.rowLimit) {
        const event = this.reader.event(r);
        this.rows.push(this.pseudo === null ? event : { ...event, user: this.pseudo.user(event.user) });
      }
    }
  }

  /** Events per hour (epoch ms of the hour → count), complete once every event was added. */
  hourCounts(): Map<number, number> {
    this.endHour();
    return this.hours;
  }

  /** Events by outcome, in the order the outcomes were first met. */
  byOutcome(): Record<string, number> {
    return Object.fromEntries(
      this.outcomeOrder.map((code) => [this.reader.outcome(code), this.outcomes[code]!]),
    );
  }

  /** The report's counts: up to `limit` values per field, most frequent first. */
  top(limit: number): TopValues[] {
    const user = (id: number | null) => {
      const value = this.reader.value('user', id);
      return this.pseudo === null ? value : this.pseudo.user(value);
    };
    const top = (field: string, counts: number[], name: (id: number) => string | null): TopValues => {
      const map = new Map<string, number>();
      counts.forEach((n, id) => {
        const key = name(id) ?? NONE;
        map.set(key, (map.get(key) ?? 0) + n);
      });
      return {
        field,
        values: [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit),
        distinct: map.size,
      };
    };
    return [
      top('user', this.users, (id) => user(id)),
      top('entity', this.entities, (id) => this.reader.value('entity', id)),
      top('action', this.actions, (id) => this.reader.value('action', id)),
      top('outcome', this.outcomes, (code) => this.reader.outcome(code)),
    ];
  }

  /** The objects the events came from, by source and key. */
  sources(): ObjectSpan[] {
    return [...this.objects]
      .map(([id, o]) => ({ ...this.reader.object(id), ...o }))
      .map(({ source, key, events, firstLine, lastLine }) => ({
        source,
        object: key,
        events,
        firstLine,
        lastLine,
      }))
      .sort((a, b) => a.source.localeCompare(b.source) || a.object.localeCompare(b.object));
  }

  private endHour(): void {
    if (this.inHour > 0) this.hours.set(this.hour, (this.hours.get(this.hour) ?? 0) + this.inHour);
    this.inHour = 0;
  }
}

/** Counts one more of `id` (null as 0); returns the new count. */
function count(counts: number[], id: number | null): number {
  const key = id ?? 0;
  return (counts[key] = (counts[key] ?? 0) + 1);
}
