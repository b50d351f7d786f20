// An export runs on a thread of its own: it reads and writes for as long as the selection is large, and
// the thread that answers queries must not wait for it. The heap limit the starter sets keeps memory flat
// (an export makes short-lived garbage per event; an unlimited heap just grows).
import crypto from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import { storageFault } from '../store/errors.ts';
import { runExport } from './exporter.ts';
import type { ExportWorkerData, ExportWorkerMessage } from './exportWorkerProtocol.ts';
import { Pseudonymizer } from './pseudonym.ts';
import { fingerprint, publicKeyPem } from './signingKey.ts';

const data = workerData as ExportWorkerData;
const post = (message: ExportWorkerMessage) => parentPort!.postMessage(message);

const privateKey = crypto.createPrivateKey(data.privateKeyPem);
const publicKey = crypto.createPublicKey(privateKey);
runExport({
  ...data.options,
  key: { privateKey, publicKey, publicKeyPem: publicKeyPem(publicKey), fingerprint: fingerprint(publicKey) },
  pseudonymizer:
    data.pseudonymKeyHex === null ? null : new Pseudonymizer(Buffer.from(data.pseudonymKeyHex, 'hex')),
  onProgress: (progress) => post({ type: 'progress', progress }),
}).then(
  (result) => post({ type: 'done', result }),
  (error: unknown) => {
    // A damaged page, a file gone: the storage fault that says what to do, with its code (as the writer
    // and the query worker send theirs).
    const mapped = storageFault(error, data.options.dbFile);
    const e = mapped instanceof Error ? mapped : new Error(String(mapped));
    const { code, message, column } = describeError(mapped);
    post({ type: 'error', name: e.name, code, message, ...(column !== undefined ? { column } : {}) });
  },
);
