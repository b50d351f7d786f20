/**
 * The API between the UI (or CLI, or HTTP bridge) and the engine: every method with zod schemas for its
 * input and output. Every type the transports use is derived from here, never written twice; inputs are
 * validated with these schemas at each door.
 */
import { z } from 'zod';
import { OUTCOMES } from './event.ts';
import { GenericMappingSchema } from './formats/generic.ts';

export const OutcomeSchema = z.enum(OUTCOMES);

export const AuditEventSchema = z.object({
  id: z.string(),
  ts: z.number().nullable(),
  user: z.string().nullable(),
  entity: z.string().nullable(),
  action: z.string().nullable(),
  opType: z.string().nullable(),
  outcome: OutcomeSchema,
  status: z.string().nullable(),
  org: z.string().nullable(),
  target: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  latencyMs: z.number().nullable(),
  txn: z.string().nullable(),
  format: z.string(),
  source: z.string(),
  object: z.string(),
  line: z.number().int(),
  /** The original JSON after redaction; left out of search results asked for `raw: false`. */
  raw: z.string().optional(),
});

export const FACET_NAMES = [
  'user',
  'entity',
  'action',
  'opType',
  'outcome',
  'source',
  'format',
  'status',
  'org',
] as const;
export const FacetNameSchema = z.enum(FACET_NAMES);
export type FacetName = z.infer<typeof FacetNameSchema>;

/** The facets a search response carries unless asked otherwise. */
export const DEFAULT_FACETS: readonly FacetName[] = [
  'user',
  'entity',
  'action',
  'opType',
  'outcome',
  'source',
];

export const FacetSchema = z.object({
  values: z.array(z.object({ value: z.string().nullable(), count: z.number().int() })),
  /** Matching events whose value is not among `values`. */
  other: z.number().int(),
  /** Distinct values among the matches. */
  distinct: z.number().int(),
});

export const HistogramSchema = z.object({
  /** Start of the first bucket (epoch ms, UTC). */
  from: z.number(),
  bucketMs: z.number(),
  /** Matching events per bucket. */
  counts: z.array(z.number().int()),
  /** The same buckets split by outcome (each as long as `counts`; the three add up to `counts`). */
  byOutcome: z.object({
    success: z.array(z.number().int()),
    failure: z.array(z.number().int()),
    unknown: z.array(z.number().int()),
  }),
});

/** The longest query any door accepts, in UTF-16 code units. */
export const MAX_QUERY_CHARS = 10_000;

/**
 * A query in the search language. Over {@link MAX_QUERY_CHARS} it fails with a sentence and the error code
 * `query_too_costly` (in the issue's `params.errorCode`), which the doors pass on as they are.
 */
export const QuerySchema = z
  .string()
  .check((ctx) => {
    const length = ctx.value.length;
    if (length <= MAX_QUERY_CHARS) return;
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      params: { errorCode: 'query_too_costly' },
      message:
        `The query is ${length.toLocaleString('en-US')} characters long; the limit is` +
        ` ${MAX_QUERY_CHARS.toLocaleString('en-US')}. Shorten it or split it into several searches.`,
    });
  })
  .default('');

export const SearchInputSchema = z.strictObject({
  query: QuerySchema,
  limit: z.number().int().min(0).max(10_000).default(100),
  cursor: z.string().max(40).nullable().default(null),
  facets: z.union([z.array(FacetNameSchema).max(FACET_NAMES.length), z.literal(false)]).optional(),
  facetLimit: z.number().int().min(1).max(1000).default(10),
  histogram: z.boolean().default(true),
  /**
   * Include each event's raw JSON (default). A result list that only shows the normalised fields should
   * pass false: the raw lines of 100 events can sit in 100 compressed blocks (tens of ms); fetch the one
   * that is opened.
   */
  raw: z.boolean().default(true),
  /** Record the query in the local history (a search the user ran, not a page or a refresh). */
  record: z.boolean().default(false),
});

export const SearchOutputSchema = z.object({
  total: z.number().int(),
  events: z.array(AuditEventSchema),
  nextCursor: z.string().nullable(),
  facets: z.partialRecord(FacetNameSchema, FacetSchema),
  histogram: HistogramSchema.nullable(),
  timing: z.object({ plan: z.number(), scan: z.number(), fetch: z.number(), total: z.number() }),
});

export const IngestSummarySchema = z.object({
  /** Events of the bundled sample corpus removed because this was the database's first real import. */
  sampleEventsRemoved: z.number().int(),
  /** Time spent merging the full-text index after the import, in ms (part of what an import costs). */
  indexMs: z.number(),
  events: z.number().int(),
  duplicates: z.number().int(),
  quarantined: z.number().int(),
  objects: z.number().int(),
  errors: z.number().int(),
  redacted: z.number().int(),
  lines: z.number().int(),
  bytes: z.number().int(),
  /**
   * The run was stopped (Ctrl-C, shutdown) before it read everything: what it read is stored, and the same
   * ingest run again finishes it exactly (an identical line is never stored twice).
   */
  stopped: z.boolean(),
  perObject: z.array(
    z.object({
      key: z.string(),
      lines: z.number().int(),
      events: z.number().int(),
      duplicates: z.number().int(),
      quarantined: z.number().int(),
      error: z.string().nullable(),
    }),
  ),
  /** What was passed over on purpose (FIFOs, links leaving a folder, empty folders), with a sentence why. */
  skipped: z.array(z.object({ path: z.string(), message: z.string() })),
});

export const QuarantineEntrySchema = z.object({
  source: z.string(),
  object: z.string(),
  line: z.number().int(),
  reason: z.string(),
  excerpt: z.string(),
  at: z.number(),
});

export const StatsSchema = z.object({
  file: z.string(),
  events: z.number().int(),
  sources: z.number().int(),
  objects: z.number().int(),
  objectErrors: z.number().int(),
  /** Bad lines in all (kept with an excerpt or only counted). */
  quarantined: z.number().int(),
  /** Of those, the ones kept with an excerpt. */
  quarantineExcerpts: z.number().int(),
  duplicates: z.number().int(),
  /** Bytes read from sources in total. */
  rawBytes: z.number().int(),
  dbBytes: z.number().int(),
  first: z.number().nullable(),
  last: z.number().nullable(),
  untimed: z.number().int(),
  schemaVersion: z.number().int(),
  retentionHorizon: z.number().nullable(),
});

export const RetentionInputSchema = z
  .strictObject({
    /** Delete events older than this many ms before now. */
    olderThanMs: z.number().int().positive().optional(),
    /** Delete events before this epoch ms. */
    before: z.number().optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((v) => (v.olderThanMs === undefined) !== (v.before === undefined), {
    message: 'Give exactly one of olderThanMs and before.',
  });

export const RetentionOutputSchema = z.object({
  /** Events deleted (or, with dryRun, that would be). */
  events: z.number().int(),
  /** The cut-off: events before it are gone. */
  before: z.number(),
  /** Compressed blocks of raw lines freed (every event in them was deleted). */
  blocks: z.number().int(),
  dryRun: z.boolean(),
  /** Per source: events deleted. */
  perSource: z.record(z.string(), z.number().int()),
  /** Events older than the cut-off that were kept because an investigation pins them (legal hold). */
  held: z.number().int(),
  /**
   * Per source, the events that go and the time span they cover (epoch ms, oldest and newest): what a
   * preview shows before anything is deleted. Same counts as `perSource`, which stays for older callers.
   */
  sources: z
    .array(z.object({ name: z.string(), events: z.number().int(), from: z.number(), to: z.number() }))
    .default([]),
});

const SourceNameSchema = z.string().min(1).max(100);

/** A configured source as listed: where it reads, how it is doing, when it runs. Never a secret. */
export const SourceSummarySchema = z.object({
  name: z.string(),
  kind: z.enum(['s3', 'azure', 'gcs', 'folder']),
  location: z.string(),
  enabled: z.boolean(),
  schedule: z.string(),
  /** The last run's status, or `never`. */
  status: z.string(),
  lastRun: z.number().nullable(),
  nextRun: z.number().nullable(),
  events: z.number().int(),
  objects: z.number().int(),
  /** Objects whose last read failed. */
  errors: z.number().int(),
  /** The last run's first error, if any. */
  lastError: z.string().nullable(),
});

export const SyncErrorSchema = z.object({ object: z.string().nullable(), error: z.string() });

export const SyncObjectCountsSchema = z.object({
  listed: z.number().int(),
  new: z.number().int(),
  changed: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
});

/** One source's pass, as `sync --json` prints it. */
export const SyncPassSchema = z.object({
  name: z.string(),
  run: z.number().int(),
  status: z.enum(['ok', 'partial', 'failed', 'stopped', 'interrupted']),
  objects: SyncObjectCountsSchema,
  bytes: z.number().int(),
  events: z.number().int(),
  duplicates: z.number().int(),
  quarantined: z.number().int(),
  errors: z.array(SyncErrorSchema),
});

export const SyncRunSchema = SyncObjectCountsSchema.extend({
  id: z.number().int(),
  source: z.string(),
  trigger: z.enum(['schedule', 'manual', 'catch-up']),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  status: z.enum(['running', 'ok', 'partial', 'failed', 'stopped', 'interrupted']),
  bytes: z.number().int(),
  events: z.number().int(),
  duplicates: z.number().int(),
  quarantined: z.number().int(),
  errors: z.array(SyncErrorSchema),
});

export const SyncObjectSchema = z.object({
  key: z.string(),
  size: z.number().nullable(),
  modified: z.number().nullable(),
  bytesRead: z.number(),
  lines: z.number().int(),
  events: z.number().int(),
  duplicates: z.number().int(),
  quarantined: z.number().int(),
  status: z.enum(['reading', 'done', 'error']),
  error: z.string().nullable(),
  attempts: z.number().int(),
  nextAttempt: z.number().nullable(),
  updatedAt: z.number(),
});

/** Retention as settings, in the exporters' vocabulary (DESIGN §1). */
export const RetentionSettingsSchema = z.object({
  /** Events older than this many days go at each retention run; null keeps everything. */
  retentionDays: z.number().int().positive().nullable(),
  /** 6-field cron of the retention job. */
  gcSchedule: z.string(),
  /** Like the exporters' `disableUeventsGC`: no scheduled retention. */
  gcDisabled: z.boolean(),
});

/** An event's id: 32 hex digits (DESIGN §3). */
export const EventIdSchema = z.string().regex(/^[0-9a-fA-F]{32}$/, 'an event id is 32 hex digits');

export const EventGetInputSchema = z.strictObject({
  id: EventIdSchema,
  /**
   * The event's `ts` as a search result gives it (null for an event without a time): events are keyed by
   * time, so the id is looked up among that millisecond's events instead of all of them.
   */
  ts: z.number().nullable(),
});

export const ValuesListInputSchema = z.strictObject({
  field: FacetNameSchema,
  /** Only values starting with this, ignoring case. */
  prefix: z.string().max(1000).default(''),
  limit: z.number().int().min(1).max(10_000).default(50),
});

export const ValuesListOutputSchema = z.object({
  /** Distinct values over the whole database, most frequent first, with their event counts. */
  values: z.array(z.object({ value: z.string(), count: z.number().int() })),
  /** Distinct values matching the prefix (more than `values` holds when the limit cut it). */
  distinct: z.number().int(),
});

const NameSchema = z.string().trim().min(1).max(200);

export const SavedSearchSchema = z.object({
  name: z.string(),
  query: z.string(),
  /** Epoch ms, inclusive; null = open. */
  from: z.number().nullable(),
  /** Epoch ms, exclusive; null = open. */
  to: z.number().nullable(),
  /** Event fields to show, in order ([] = the default columns). */
  columns: z.array(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const HistoryEntrySchema = z.object({
  query: z.string(),
  total: z.number().int().nullable(),
  at: z.number(),
});

export const InvestigationSummarySchema = z.object({
  name: z.string(),
  description: z.string(),
  status: z.enum(['open', 'closed']),
  createdAt: z.number(),
  closedAt: z.number().nullable(),
  pinned: z.number().int(),
  notes: z.number().int(),
  /** The last change: created, closed, the newest pin or note. */
  changedAt: z.number(),
});

export const InvestigationSchema = InvestigationSummarySchema.extend({
  searches: z.array(SavedSearchSchema),
  pins: z.array(z.object({ eventId: z.string(), pinnedAt: z.number(), event: AuditEventSchema.nullable() })),
  noteList: z.array(z.object({ eventId: z.string().nullable(), body: z.string(), at: z.number() })),
});

export const ExportInputSchema = z.strictObject({
  query: z.string().max(10_000).default(''),
  /** Export this investigation's pinned events instead of a query's matches. */
  investigation: NameSchema.nullable().default(null),
  /** A folder (new or empty) or a file name ending in .zip (the evidence bundle). */
  out: z.string().min(1),
  /** Start the CSV with a UTF-8 byte order mark (for spreadsheets). */
  bom: z.boolean().default(false),
  /**
   * Replace user identities by keyed pseudonyms (HMAC-SHA-256). `key`: hex of at least 16 bytes, for
   * pseudonyms that match across exports; without it, a random key per export.
   */
  pseudonymize: z
    .strictObject({
      key: z
        .string()
        .regex(/^([0-9a-fA-F]{2}){16,}$/)
        .nullable()
        .default(null),
    })
    .nullable()
    .default(null),
  /** Rows shown in the HTML report. */
  htmlRows: z.number().int().min(0).max(100_000).default(1000),
});

export const ExportOutputSchema = z.object({
  out: z.string(),
  zip: z.boolean(),
  /** Events the selection matched. */
  matched: z.number().int(),
  /** Events written (always equal to matched). */
  exported: z.number().int(),
  files: z.array(z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string() })),
  /** The signing key's fingerprint (sha256:…). */
  fingerprint: z.string(),
  seconds: z.number(),
});

export const SigningKeySchema = z.object({ publicKeyPem: z.string(), fingerprint: z.string() });

/** What the door-safe export writes: one file in the app's own exports folder. */
export const EXPORT_FORMATS = ['bundle', 'ndjson', 'csv', 'html'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/**
 * The only names the exports folder holds (the server chooses them): `audit-export-<UTC>-<slug>.<ext>`.
 * Every door method that names an export checks it against this, so a name can never be a path.
 */
export const EXPORT_NAME_PATTERN =
  /^audit-export-\d{8}T\d{6}Z-[a-z0-9]+(?:-[a-z0-9]+)*\.(?:zip|ndjson|csv|html)$/;
export const ExportNameSchema = z
  .string()
  .max(120)
  .regex(EXPORT_NAME_PATTERN, 'an export name as exports.create gave it (audit-export-….zip)');
/** A client's name for a running export, so it can tell its progress apart and cancel it. */
export const ExportJobSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 letters, digits, - or _');

export const ExportFileSchema = z.object({
  /** The file's name in the exports folder (chosen by the server). */
  name: z.string(),
  format: ExportFormatSchema,
  bytes: z.number().int(),
  sha256: z.string(),
  /** Epoch ms. */
  createdAt: z.number(),
  /** The query exported ('' for an investigation's pinned events). */
  query: z.string(),
  investigation: z.string().nullable(),
  /** Events the selection matched at export time, in the export's own snapshot. */
  matched: z.number().int(),
  /** Events written. */
  exported: z.number().int(),
  /** exported === matched. */
  reconciled: z.boolean(),
  pseudonymized: z.boolean(),
  bom: z.boolean(),
  /** The signing key's fingerprint (sha256:…) for a bundle; null for a single file (not signed). */
  fingerprint: z.string().nullable(),
  seconds: z.number(),
});

export type AuditEventOut = z.output<typeof AuditEventSchema>;
export type Facet = z.output<typeof FacetSchema>;
export type Histogram = z.output<typeof HistogramSchema>;
export type SearchResult = z.output<typeof SearchOutputSchema>;

/** Every method: `'domain.verb'` → input and output schemas. */
export const contract = {
  'events.search': { input: SearchInputSchema, output: SearchOutputSchema },
  'events.count': {
    input: z.strictObject({
      query: QuerySchema,
      /** Record the query in the local history. */
      record: z.boolean().default(false),
    }),
    output: z.object({ total: z.number().int() }),
  },
  'events.facet': {
    input: z.strictObject({
      query: QuerySchema,
      field: FacetNameSchema,
      limit: z.number().int().min(1).max(100_000).default(20),
    }),
    output: FacetSchema.extend({ total: z.number().int() }),
  },
  /** One event with its raw JSON (the detail panel; search pages are fetched with `raw: false`). */
  'events.get': {
    input: EventGetInputSchema,
    output: z.object({ event: AuditEventSchema.nullable() }),
  },
  /**
   * An event and its neighbours in time matching `query` (Kibana's "surrounding documents"): newest first
   * like a search page, without raw lines; `anchorIndex` is the event's place (null: no such event).
   */
  'events.surrounding': {
    input: z.strictObject({
      id: EventIdSchema,
      /** The event's `ts`, as for events.get. */
      ts: z.number().nullable(),
      before: z.number().int().min(0).max(1000).default(10),
      after: z.number().int().min(0).max(1000).default(10),
      query: z.string().max(10_000).default(''),
    }),
    output: z.object({ events: z.array(AuditEventSchema), anchorIndex: z.number().int().nullable() }),
  },
  /** Distinct values of a field with counts, for autocomplete (cheap: from the dictionary). */
  'values.list': { input: ValuesListInputSchema, output: ValuesListOutputSchema },
  'ingest.paths': {
    input: z.strictObject({
      paths: z.array(z.string().min(1)).min(1),
      source: z.string().min(1).max(200).default('import'),
      redact: z.boolean().default(true),
      /** Read every line as this format (a built-in id or a mapping's name) instead of detecting it. */
      format: z.string().nullable().default(null),
      /** Generic mappings (any NDJSON mapped by JSON paths), tried before the built-in formats. */
      mappings: z.array(GenericMappingSchema).default([]),
    }),
    output: IngestSummarySchema,
  },
  'samples.load': {
    input: z.strictObject({}).default({}),
    output: z.object({ events: z.number().int(), alreadyLoaded: z.boolean() }),
  },
  'quarantine.list': {
    input: z.strictObject({
      limit: z.number().int().min(1).max(100_000).default(1000),
      /** Only the bad lines of this source (the sources screen's quarantine of one source). */
      source: z.string().min(1).max(200).optional(),
      /**
       * `auditObjects`: a line's excerpt only when its object holds at least one event, so a file that is
       * not an audit log at all is shown by name, line and reason, never by its content. The doors (HTTP,
       * IPC) always ask for this (shared/doorInput.ts); the CLI shows every excerpt to the user at the
       * terminal.
       */
      excerpts: z.enum(['all', 'auditObjects']).default('all'),
    }),
    output: z.object({
      /** Bad lines in all: those kept with an excerpt and those only counted. */
      total: z.number().int(),
      /** Bad lines kept with an excerpt (the first ones of each object); `entries` lists up to `limit`. */
      withExcerpts: z.number().int(),
      entries: z.array(QuarantineEntrySchema),
      /** The bad lines past those of each object, counted per kind of reason. */
      counted: z.array(
        z.object({
          source: z.string(),
          object: z.string(),
          reason: z.string(),
          lines: z.number().int(),
          firstLine: z.number().int(),
        }),
      ),
    }),
  },
  'stats.get': { input: z.strictObject({}).default({}), output: StatsSchema },
  'retention.run': { input: RetentionInputSchema, output: RetentionOutputSchema },
  'sources.list': { input: z.strictObject({}).default({}), output: z.array(SourceSummarySchema) },
  'sources.get': {
    input: z.strictObject({ name: SourceNameSchema }),
    /** The configuration with every secret shown as "stored". */
    output: SourceSummarySchema.extend({ config: z.record(z.string(), z.unknown()) }),
  },
  'sources.add': {
    /** A configuration as shared/sourceConfig.ts describes it, checked by the service (errors name the field). */
    input: z.strictObject({ config: z.record(z.string(), z.unknown()) }),
    output: SourceSummarySchema,
  },
  'sources.update': {
    input: z.strictObject({ name: SourceNameSchema, config: z.record(z.string(), z.unknown()) }),
    output: SourceSummarySchema,
  },
  'sources.remove': {
    input: z.strictObject({ name: SourceNameSchema, deleteEvents: z.boolean().default(false) }),
    output: z.object({
      removed: z.boolean(),
      eventsDeleted: z.number().int(),
      /** Events kept although --delete-events asked for them: an investigation pins them (legal hold). */
      eventsHeld: z.number().int(),
    }),
  },
  'sources.test': {
    /**
     * A saved source by `name`, or a configuration not saved yet (`config`, the form's "Test connection"),
     * checked like `sources.add` checks it; with both, `config` is the edited form of source `name` and a
     * secret written "stored" stands for the one that source keeps. Nothing is saved.
     */
    input: z
      .strictObject({
        name: SourceNameSchema.optional(),
        config: z.record(z.string(), z.unknown()).optional(),
      })
      .refine((v) => v.name !== undefined || v.config !== undefined, {
        message: 'Give the name of a saved source, or a configuration to test.',
      }),
    output: z.object({ ok: z.boolean(), message: z.string(), sample: z.array(z.string()) }),
  },
  'sync.run': {
    input: z.strictObject({ source: SourceNameSchema.optional() }).default({}),
    output: z.object({ sources: z.array(SyncPassSchema) }),
  },
  'sync.runs': {
    input: z
      .strictObject({
        source: SourceNameSchema.optional(),
        limit: z.number().int().min(1).max(1000).default(20),
      })
      .default({ limit: 20 }),
    output: z.array(SyncRunSchema),
  },
  'sync.objects': {
    input: z.strictObject({
      source: SourceNameSchema,
      limit: z.number().int().min(1).max(10_000).default(100),
    }),
    output: z.array(SyncObjectSchema),
  },
  'retention.settings.get': { input: z.strictObject({}).default({}), output: RetentionSettingsSchema },
  'retention.settings.set': {
    input: RetentionSettingsSchema.partial().strict(),
    output: RetentionSettingsSchema,
  },
  /**
   * A 6-field cron expression checked with the scheduler's own rules, and the next times it fires, from
   * the matcher the scheduler ticks with (so the UI needs no second cron parser). Without `timeZone` the
   * expression is read in the agent's zone, as the scheduler reads it; `timeZone` in the output says which.
   */
  'schedule.preview': {
    input: z.strictObject({
      cron: z.string().max(200),
      count: z.number().int().min(1).max(50).default(5),
      timeZone: z.string().min(1).max(100).optional(),
    }),
    output: z.object({
      valid: z.boolean(),
      /** Why the expression is not accepted (names the field, says what to write); null when valid. */
      error: z.string().nullable(),
      next: z.array(z.number()),
      timeZone: z.string(),
    }),
  },
  /**
   * Changes only a source's schedule (through the same validation and save as `sources.update`). Open on
   * doors where `sources.update` is not: a schedule reads nothing and points nowhere.
   */
  'sources.setSchedule': {
    input: z.strictObject({ name: SourceNameSchema, schedule: z.string().max(200) }),
    output: SourceSummarySchema,
  },
  'saved.list': {
    input: z.strictObject({}).default({}),
    output: z.object({ searches: z.array(SavedSearchSchema) }),
  },
  'saved.add': {
    input: z.strictObject({
      name: NameSchema,
      query: z.string().max(10_000),
      from: z.number().nullable().default(null),
      to: z.number().nullable().default(null),
      columns: z.array(z.string().max(100)).max(50).default([]),
      /** Overwrite a saved search of the same name instead of failing. */
      replace: z.boolean().default(false),
    }),
    output: SavedSearchSchema,
  },
  'saved.rename': {
    input: z.strictObject({ name: NameSchema, newName: NameSchema }),
    output: SavedSearchSchema,
  },
  'saved.remove': { input: z.strictObject({ name: NameSchema }), output: z.object({ removed: z.string() }) },
  'history.list': {
    input: z.strictObject({
      limit: z.number().int().min(1).max(10_000).default(50),
      /** Only queries containing this text (ignoring case). */
      text: z.string().max(10_000).nullable().default(null),
    }),
    output: z.object({ entries: z.array(HistoryEntrySchema) }),
  },
  /**
   * Records a search the UI ran, after its answer is on screen (a search with `record: true` waits for the
   * write, which starts the writer: hundreds of ms the user would wait). Best effort, like `record`: on a
   * read-only database or while another process writes, nothing is recorded. An immediate repeat of the
   * last query only updates its time and total.
   */
  'history.record': {
    input: z.strictObject({
      query: z.string().max(10_000),
      total: z.number().int().min(0).nullable().default(null),
    }),
    output: z.object({ recorded: z.boolean() }),
  },
  'investigations.create': {
    input: z.strictObject({
      name: NameSchema,
      description: z.string().max(100_000).default(''),
      /** Names of saved searches that belong to the case. */
      searches: z.array(NameSchema).default([]),
    }),
    output: InvestigationSummarySchema,
  },
  'investigations.list': {
    input: z.strictObject({}).default({}),
    output: z.object({ investigations: z.array(InvestigationSummarySchema) }),
  },
  'investigations.get': { input: z.strictObject({ name: NameSchema }), output: InvestigationSchema },
  /** The investigations that pin an event, with their notes on it (the event detail panel). */
  'investigations.forEvent': {
    input: z.strictObject({ id: EventIdSchema }),
    output: z.object({
      investigations: z.array(
        z.object({
          name: z.string(),
          status: z.enum(['open', 'closed']),
          pinnedAt: z.number(),
          notes: z.array(z.object({ body: z.string(), at: z.number() })),
        }),
      ),
    }),
  },
  'investigations.addSearches': {
    input: z.strictObject({ name: NameSchema, searches: z.array(NameSchema).min(1) }),
    output: InvestigationSummarySchema,
  },
  /** Takes saved searches out of an open case; the saved searches themselves stay (saved.list). */
  'investigations.removeSearches': {
    input: z.strictObject({ name: NameSchema, searches: z.array(NameSchema).min(1) }),
    output: InvestigationSummarySchema,
  },
  /** Replaces the description of an open case (Markdown; '' clears it). */
  'investigations.update': {
    input: z.strictObject({ name: NameSchema, description: z.string().max(100_000) }),
    output: InvestigationSummarySchema,
  },
  'investigations.pin': {
    input: z.strictObject({ name: NameSchema, eventIds: z.array(EventIdSchema).min(1).max(10_000) }),
    output: z.object({ pinned: z.number().int(), total: z.number().int() }),
  },
  'investigations.unpin': {
    input: z.strictObject({ name: NameSchema, eventIds: z.array(EventIdSchema).min(1).max(10_000) }),
    output: z.object({ unpinned: z.number().int(), total: z.number().int() }),
  },
  'investigations.note': {
    input: z.strictObject({
      name: NameSchema,
      /** Markdown. */
      body: z.string().min(1).max(100_000),
      /** A pinned event the note is about; null = a note on the case. */
      eventId: EventIdSchema.nullable().default(null),
    }),
    output: InvestigationSummarySchema,
  },
  'investigations.close': { input: z.strictObject({ name: NameSchema }), output: InvestigationSummarySchema },
  /** Reopens a closed case (its closedAt is cleared); an open case is a conflict, like closing a closed one. */
  'investigations.reopen': {
    input: z.strictObject({ name: NameSchema }),
    output: InvestigationSummarySchema,
  },
  'export.run': { input: ExportInputSchema, output: ExportOutputSchema },
  'keys.show': { input: z.strictObject({}).default({}), output: SigningKeySchema },
  /**
   * The door-safe export: never a caller's path. Writes one file (a signed bundle, or the NDJSON, CSV or
   * HTML report alone) into the app's exports folder under a name the server chooses; progress comes as
   * `export.progress` with `job`.
   */
  'exports.create': {
    input: z.strictObject({
      query: QuerySchema,
      /** Export this investigation's pinned events instead of the query's matches. */
      investigation: NameSchema.nullable().default(null),
      format: ExportFormatSchema.default('bundle'),
      /** Start the CSV with a UTF-8 byte order mark (spreadsheets). */
      bom: z.boolean().default(false),
      /** Replace user identities by keyed pseudonyms (a random key for this export only). */
      pseudonymize: z.boolean().default(false),
      /** The client's name for this export (progress events carry it; exports.cancel stops it). */
      job: ExportJobSchema.nullable().default(null),
    }),
    output: ExportFileSchema,
  },
  /** Stops a running exports.create (it then fails with code `cancelled`; nothing is kept). */
  'exports.cancel': {
    input: z.strictObject({ job: ExportJobSchema }),
    output: z.object({ cancelled: z.boolean() }),
  },
  /** The exports folder's files, newest first. */
  'exports.list': {
    input: z.strictObject({ limit: z.number().int().min(1).max(1000).default(50) }).default({ limit: 50 }),
    output: z.object({ folder: z.string(), exports: z.array(ExportFileSchema) }),
  },
  'exports.remove': {
    input: z.strictObject({ name: ExportNameSchema }),
    output: z.object({ removed: z.boolean() }),
  },
  /**
   * Serve only: a one-time link to the file (`/download/<128-bit id>`, valid for a few minutes) that a
   * plain `<a href download>` can follow, since a link cannot carry the Authorization header.
   */
  'exports.download': {
    input: z.strictObject({ name: ExportNameSchema }),
    output: z.object({ url: z.string(), expiresAt: z.number() }),
  },
  /**
   * Desktop only: the main process asks where to save with the native save dialog and copies the file
   * there. `path` is what the user chose (null when they cancelled).
   */
  'exports.save': {
    input: z.strictObject({ name: ExportNameSchema }),
    output: z.object({ saved: z.boolean(), path: z.string().nullable() }),
  },
} as const;

export const IngestProgressSchema = z.object({
  /** The source the events go to, and the sync run (null for an import). */
  source: z.string(),
  run: z.number().int().nullable(),
  objects: z.number().int(),
  lines: z.number().int(),
  bytes: z.number().int(),
  events: z.number().int(),
});

export const EventsChangedSchema = z.object({
  /** Events the database holds now. */
  total: z.number().int(),
  /** Events the write added (0 when it only removed some: retention, a replaced sample corpus). */
  added: z.number().int(),
});

/**
 * Another process is writing the database (an import, the sync agent) and this one waits for it before it
 * writes; every field is null when the other process did not say who it is.
 */
export const WriterWaitingSchema = z.object({
  pid: z.number().int().nullable(),
  /** What the other process is doing (`ingest`, `agent`, ...). */
  command: z.string().nullable(),
  /** When it started writing, epoch ms. */
  since: z.number().nullable(),
});

/** A sync pass in progress (one per committed batch). */
export const SyncProgressSchema = z.object({
  source: z.string(),
  run: z.number().int(),
  /** Objects started and to read in this pass. */
  objects: z.number().int(),
  objectsToRead: z.number().int(),
  bytes: z.number().int(),
  events: z.number().int(),
  eventsPerSecond: z.number(),
});

export const ExportProgressSchema = z.object({
  /** 'events' while events are written, 'zip' while the bundle is packed. */
  phase: z.enum(['events', 'zip']),
  exported: z.number().int(),
  total: z.number().int(),
  /** The job an exports.create was given (absent for export.run and a job-less exports.create). */
  job: z.string().optional(),
});

/** Events the engine pushes to the UI: name → payload schema. */
export const events = {
  'ingest.progress': IngestProgressSchema,
  'sync.progress': SyncProgressSchema,
  'export.progress': ExportProgressSchema,
  /** A write committed: the UI can offer "N new events — refresh". */
  'events.changed': EventsChangedSchema,
  'writer.waiting': WriterWaitingSchema,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export type ServiceEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodArgs<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

/** The API as the UI sees it: one async function per method, same shape over IPC, HTTP or in process. */
export type AuditApi = { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>> };

/**
 * What the UI holds: the API plus the engine's events. Every transport (HTTP, Electron IPC, an in-memory
 * one for component tests) is written `satisfies AuditClient`, so the UI cannot tell them apart.
 */
export type AuditClient = AuditApi & {
  /** Listens to the engine's events; returns the way to stop. */
  subscribe(listener: (event: ServiceEvent) => void): () => void;
};

/** Errors cross every door as data with a stable code. */
export const ERROR_CODES = [
  'bad_input',
  'query_syntax',
  /** The query asks more than a search may spend (terms, prefix, length, time, memory): narrow it. */
  'query_too_costly',
  'not_found',
  'conflict',
  'schema_too_new',
  'not_our_database',
  /** A newer request from the same client superseded this one (a search typed over). */
  'cancelled',
  /** No token, or a wrong one. */
  'unauthorized',
  /** The caller may not do this here (a foreign origin, a method this door does not offer). */
  'forbidden',
  /** Another process kept writing the database for longer than this call would wait. */
  'writer_busy',
  /** The call was stopped (shutdown, Ctrl-C) before it wrote anything. */
  'stopped',
  /** The database file or its folder cannot be written here; searches still work on an existing file. */
  'read_only',
  /** `--db` names a folder. */
  'db_is_folder',
  /** The disk is full: the write in progress rolled back, nothing stored before it was lost. */
  'disk_full',
  /** The database is damaged (truncated, a broken header or page): run `check`, re-import to recover. */
  'database_damaged',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
/** A code received from another thread or process, checked: anything unknown is `internal`. */
export function toErrorCode(value: unknown): ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(value) ? (value as ErrorCode) : 'internal';
}
/**
 * An error as data: what crosses every door. `column` (1-based) points into a query; `field` names the
 * input field a schema failure is about (`limit`, `facets.0`).
 */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  column?: number;
  field?: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };
