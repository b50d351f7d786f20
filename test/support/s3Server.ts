/**
 * s3rver (an S3 protocol server in Node) in a child process on a free loopback port, with its data in a
 * temp folder. It runs under `--openssl-legacy-provider` because its continuation tokens use DES: without
 * the flag every paginated ListObjectsV2 answers 500 (DESIGN §10). Facts the tests rely on:
 * - it accepts only the access key id `S3RVER` (any other is InvalidAccessKeyId, 403) and does not verify
 *   SigV4 signatures, so a wrong secret goes unnoticed — the fault proxy injects SignatureDoesNotMatch;
 * - it ignores `If-Match` (a wrong ETag still gets 200).
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** The only credentials s3rver knows. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3TestServer {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** The server's process (a benchmark counts its CPU time apart from the client's). */
  readonly pid: number;
  /** A client straight to the server (no proxy), for arranging buckets and objects. */
  readonly admin: S3Client;
  createBucket(bucket: string): Promise<void>;
  put(bucket: string, key: string, body: string | Buffer, contentEncoding?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3Server(): Promise<S3TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-s3rver-'));
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      bin,
      '-d',
      dir,
      '-a',
      '127.0.0.1',
      '-p',
      '0',
      '--silent',
      '--no-vhost-buckets',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 20 s: ${stderr}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on [^:]+:(\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}: ${stderr}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const admin = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  });
  return {
    endpoint,
    pid: child.pid!,
    admin,
    async createBucket(bucket) {
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    async put(bucket, key, body, contentEncoding) {
      await admin.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentLength: Buffer.byteLength(body),
          ContentEncoding: contentEncoding,
        }),
      );
    },
    async stop() {
      admin.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An S3 error response body, as S3 writes it. */
export function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;
}
