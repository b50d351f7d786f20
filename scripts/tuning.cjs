// How the commands that stream a whole corpus (an import, a sync pass, an export) run: in a process of
// their own with these settings. Shared by the launcher (bin/audit-explorer.js) and the benchmark, which
// must measure the process a user gets. Plain CommonJS with no dependencies (the launcher runs it on any
// Node).
// - The CLI parses on its main thread, whose young generation V8 would let grow past 100 MB: 4 MB
//   semi-spaces keep it small at no measurable cost.
// - glibc gives every thread that allocates its own malloc arena (~25 MB of free lists on a 1M-event
//   import, ~15 MB on an export): two are enough; large buffers (blocks, blobs, zstd contexts) freed
//   across threads fragmented the heap, so from 1 MB up they are mapped and returned on free.
'use strict';

const TUNED_COMMANDS = ['ingest', 'sync', 'export'];
const TUNED_FLAGS = ['--max-semi-space-size=4'];
const TUNED_ENV =
  process.platform === 'linux' ? { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576' } : {};

/**
 * Whether these CLI arguments may name a command that runs tuned. Any argument counts (an option's value may
 * come first, `--db FILE export`): a search for the word "export" runs tuned too, which costs nothing.
 */
function isTunedCommand(args) {
  return args.some((a) => TUNED_COMMANDS.includes(a));
}

module.exports = { TUNED_COMMANDS, TUNED_FLAGS, TUNED_ENV, isTunedCommand };
