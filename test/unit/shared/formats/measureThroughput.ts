// Measures detectFormat + mapEvent on already-parsed objects, the ingest hot path's share of the work.
// Not a test (no timing assertions in tests): run `node test/unit/shared/formats/measureThroughput.ts`.
import {
  BUILTIN_FORMATS,
  DRONAHQ_EVENTS,
  GRAVITEE_AM_EVENTS,
  PROPHECY_OPERATIONS,
  detectFormat,
  mapEvent,
  type JsonObject,
} from '../../../../shared/formats/index.ts';

const EVENTS = 200_000;
const ROUNDS = 7;

const samples = BUILTIN_FORMATS.flatMap((format) =>
  format.samples.map((line) => JSON.parse(line) as Record<string, unknown>),
);
const actions = {
  prophecy: PROPHECY_OPERATIONS.map((op) => op.operation).concat([
    'User',
    'ProjectReleaseByProjectIdAndStatus',
    'fooBar',
  ]),
  dronahq: DRONAHQ_EVENTS.map((event) => event.eventId),
  gravitee: GRAVITEE_AM_EVENTS.map((event) => event.type),
};

/** Sample-like objects: the shipped samples with varied times, users, actions and parameters. */
function corpus(): JsonObject[] {
  const out: JsonObject[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const base = structuredClone(samples[i % samples.length]) as Record<string, unknown>;
    const user = `user${i % 997}@example.com`;
    if ('nameHints' in base) {
      base.nameHints = [actions.prophecy[i % actions.prophecy.length]];
      base.createdAt = 1690000000000 + i * 1000;
      base.userEmail = user;
      base.requestParams = { uid: `"u-${i % 5000}"`, entityKind: '"Pipeline"', projectID: `"p-${i % 300}"` };
      base.responseCode = i % 50 === 0 ? 500 : 200;
    } else if ('event_type' in base) {
      base.event_type = actions.gravitee[i % actions.gravitee.length];
      base['@timestamp'] = new Date(1709500000000 + i * 1000).toISOString();
      (base.actor as Record<string, unknown>).alternativeId = user;
    } else {
      const meta = base.meta as Record<string, unknown>;
      meta['event-id'] = actions.dronahq[i % actions.dronahq.length];
      meta['user-email'] = user;
      if ('timestamp' in base) base.timestamp = new Date(1698700000000 + i * 1000).toISOString();
      else meta.time = 1698700000000 + i * 1000;
      // Every tenth database row holds meta as a JSON string, as real exports do.
      if ('timestamp' in base && i % 10 === 0) base.meta = JSON.stringify(meta);
    }
    out.push(base);
  }
  return out;
}

const objects = corpus();
let sink = 0;
// Wall time and this process's CPU time: on a shared machine the CPU-time rate is the steadier figure.
const wall: number[] = [];
const cpu: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  const startCpu = process.cpuUsage();
  for (const obj of objects) {
    const format = detectFormat(obj);
    if (format !== null) sink += mapEvent(format, obj).ts ?? 0;
  }
  const used = process.cpuUsage(startCpu);
  wall.push(EVENTS / ((performance.now() - start) / 1000));
  cpu.push(EVENTS / ((used.user + used.system) / 1e6));
}
const median = (rates: number[]): number => [...rates].sort((a, b) => a - b)[ROUNDS >> 1] ?? 0;
const fmt = (n: number): string => `${Math.round(n).toLocaleString('en-US')} events/s`;
process.stdout.write(
  `detectFormat + mapEvent over ${EVENTS.toLocaleString('en-US')} parsed objects, median of ${ROUNDS} rounds: ` +
    `${fmt(median(wall))} wall-clock, ${fmt(median(cpu))} per CPU-second (checksum ${sink % 1000})\n`,
);
