/**
 * Benchmark step: the sync section (syncSection.ts) in a process of its own, for run.ts.
 *
 *   node test/bench/harness/syncChild.ts '{"events":…,"seed":…,"objects":…,"stores":["s3","azure"],"repeat":1,"corpusRoot":…,"resultFile":…}'
 */
import { childParams, finishChild } from './child.ts';
import { runSyncBench, type SyncParams } from './syncSection.ts';

const params = childParams<SyncParams & { resultFile: string }>();
finishChild(params.resultFile, () => runSyncBench(params, (line) => process.stdout.write(`${line}\n`)));
