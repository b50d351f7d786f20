// An export runs on a thread of its own: it reads and writes for as long as the selection is large, and
// the thread that answers queries must not wait for it. The heap limit the starter sets keeps memory flat
// (an export makes short-lived garbage per event; an unlimited heap just grows).
import crypto from 'node:crypto';
import { describeError, type ErrorInfo } from '../errors.ts';
import { serveRpc } from '../rpc/server.ts';
import { storageFault } from '../store/errors.ts';
import { ExportCountError, runExport } from './exporter.ts';
import type { ExportMethods } from './exportWorkerProtocol.ts';
import { Pseudonymizer } from './pseudonym.ts';
import { fingerprint, publicKeyPem } from './signingKey.ts';

/** describeError, with "The export failed" before what nothing else explains (a bug, not the user's). */
function describeExportError(error: unknown): ErrorInfo {
  const info = describeError(error);
  if (info.code !== 'internal' || error instanceof ExportCountError) return info;
  return { ...info, message: `The export failed: ${info.message}` };
}

void serveRpc<ExportMethods>(
  () => ({
    handlers: {
      run: async (data, { progress }) => {
        const privateKey = crypto.createPrivateKey(data.privateKeyPem);
        const publicKey = crypto.createPublicKey(privateKey);
        try {
          return await runExport({
            ...data.options,
            key: {
              privateKey,
              publicKey,
              publicKeyPem: publicKeyPem(publicKey),
              fingerprint: fingerprint(publicKey),
            },
            pseudonymizer:
              data.pseudonymKeyHex === null
                ? null
                : new Pseudonymizer(Buffer.from(data.pseudonymKeyHex, 'hex')),
            onProgress: progress,
          });
        } catch (error) {
          // A damaged page, a file gone: the storage fault that says what to do, with its code (as the
          // writer and the query worker send theirs).
          throw storageFault(error, data.options.dbFile);
        }
      },
    },
    options: { describe: describeExportError },
  }),
  { describe: describeError },
);
