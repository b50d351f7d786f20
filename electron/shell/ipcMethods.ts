/**
 * The IPC door's allowlist and channel names: the one list both the preload (what `window.auditExplorer`
 * offers) and the ipcMain registrar (what it answers) are derived from. Type-only imports, so the sandboxed
 * preload bundle stays small (no zod, no contract schemas).
 */
import type { MethodName } from '../../shared/contract.ts';

/**
 * Every contract method must be listed (the type says so), so a new method is a decision, not an accident.
 * `ingest.paths` stays off: it reads any local path it is given, so a renderer compromised by a hostile
 * event (an XSS in a value we failed to escape) could make the engine read the user's files. The desktop
 * imports through a native open-file dialog instead, where the user picks the paths (a later issue; until
 * then `audit-explorer ingest` imports).
 */
export const IPC_DOOR = {
  'events.search': true,
  'events.count': true,
  'events.facet': true,
  'events.get': true,
  'events.surrounding': true,
  'values.list': true,
  'ingest.paths': false,
  'samples.load': true,
  'quarantine.list': true,
  'stats.get': true,
  'retention.run': true,
  'saved.list': true,
  'saved.add': true,
  'saved.rename': true,
  'saved.remove': true,
  'history.list': true,
  'history.record': true,
  'investigations.create': true,
  'investigations.list': true,
  'investigations.get': true,
  'investigations.forEvent': true,
  'investigations.addSearches': true,
  'investigations.removeSearches': true,
  'investigations.update': true,
  'investigations.pin': true,
  'investigations.unpin': true,
  'investigations.note': true,
  'investigations.close': true,
  'investigations.reopen': true,
  // Writes files to whatever path it is given: off for the same reason as ingest.paths, until the desktop
  // asks for the path with a native save dialog (`audit-explorer export` meanwhile).
  'export.run': false,
  'keys.show': true,
  // The door-safe export (see HTTP_DOOR in cli/serve.ts): the window chooses what and the format, the
  // engine writes to its own exports folder under a name it makes up. The file leaves that folder with
  // exports.save, which the main process answers itself: the user picks the target in the native save
  // dialog, so the page never names a path.
  'exports.create': true,
  'exports.cancel': true,
  'exports.list': true,
  'exports.remove': true,
  'exports.save': true,
  // A link to serve's HTTP download route: there is no HTTP server in the desktop app.
  'exports.download': false,
  // Sources, configuration included: the sources screen adds, edits and removes them (DESIGN §2). Unlike
  // `ingest.paths` (a one-off read of any path for whoever asks), a source is the user's standing
  // configuration made in the window's own page, which loads only our bundle under a CSP without inline
  // script. Should that page be subverted, what it could learn is bounded: a secret is write-only (no
  // answer carries one back; `sources.get` shows "stored"), and a folder source pointed at files that are
  // not audit logs yields their names, not their content — such a file has no events, and
  // `quarantine.list` over the doors drops the excerpt of a bad line whose object holds no event
  // (shared/doorInput.ts).
  'sources.list': true,
  'sources.get': true,
  'sources.add': true,
  'sources.update': true,
  'sources.remove': true,
  'sources.test': true,
  'sync.run': true,
  'sync.runs': true,
  'sync.objects': true,
  'retention.settings.get': true,
  'retention.settings.set': true,
  // Reads nothing local: a cron expression in, times out.
  'schedule.preview': true,
  // Only the schedule of a configured source (no path, no endpoint, no secret): safe where sources.update is not.
  'sources.setSchedule': true,
} as const satisfies Record<MethodName, boolean>;

/** The methods the IPC door answers, in contract order. */
export type IpcMethod = {
  [M in keyof typeof IPC_DOOR]: (typeof IPC_DOOR)[M] extends true ? M : never;
}[keyof typeof IPC_DOOR];

export const IPC_METHODS = (Object.keys(IPC_DOOR) as MethodName[]).filter((m): m is IpcMethod => IPC_DOOR[m]);

/** `ipcRenderer.invoke(CALL_CHANNEL, method, input)` → the envelope. The only invoke channel. */
export const CALL_CHANNEL = 'audit-explorer:call';
/** `ipcRenderer.send(SUBSCRIBE_CHANNEL, true | false)`: start or stop the engine's events for this page. */
export const SUBSCRIBE_CHANNEL = 'audit-explorer:subscribe';
/** Main → page: one engine event (`ServiceEvent`). */
export const EVENT_CHANNEL = 'audit-explorer:event';
