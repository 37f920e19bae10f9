import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import S3V2 from 'aws-sdk/clients/s3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AwsEndpoint, type AwsService } from '../../../src/aws/endpoint';
import type { S3Notification } from '../../../src/aws/s3/from-model';
import type { Deliver, S3Delivery } from '../../../src/aws/s3/notifications';
import { S3Service } from '../../../src/aws/s3/s3-service';
import type { Clock } from '../../../src/clock';
import { openStateDatabase, type Db } from '../../../src/state/database';

export const CREDENTIALS = { accessKeyId: 'AKIDEMULATE', secretAccessKey: 'secret' };

export interface S3Options {
  region?: string;
  buckets?: string[];
  notifications?: S3Notification[];
  clock?: Clock;
  /** Reuse the state folder of an earlier harness (a restart). */
  stateDir?: string;
  /** Replaces the recording of deliveries (which is the default). */
  deliver?: Deliver;
  onDeliveryError?: (error: unknown, delivery: S3Delivery) => void;
  /** Services the endpoint tries after S3 (the composition root puts S3 last; this shows what S3 lets through). */
  after?: AwsService[];
}

/** A real AwsEndpoint on an ephemeral port serving an S3Service whose deliveries are recorded. */
export class S3Harness {
  readonly deliveries: S3Delivery[] = [];
  readonly stateDir: string;
  readonly region: string;
  readonly db: Db;
  readonly service: S3Service;
  url = '';
  private readonly endpoint: AwsEndpoint;

  constructor(options: S3Options = {}) {
    this.stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), 's3-test-'));
    this.region = options.region ?? 'us-east-1';
    this.db = openStateDatabase(this.stateDir, { reset: false });
    this.service = new S3Service({
      db: this.db,
      dataDir: path.join(this.stateDir, 's3'),
      region: this.region,
      accountId: '123456789012',
      buckets: options.buckets ?? [],
      notifications: options.notifications ?? [],
      deliver:
        options.deliver ??
        ((delivery) => {
          this.deliveries.push(delivery);
        }),
      onDeliveryError: options.onDeliveryError,
      clock: options.clock,
    });
    this.endpoint = new AwsEndpoint([this.service, ...(options.after ?? [])]);
  }

  async start(): Promise<this> {
    this.url = await this.endpoint.start('127.0.0.1', 0);
    return this;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  /** An SDK v3 client, path-style unless told otherwise. */
  client(config: Partial<S3ClientConfig> = {}): S3Client {
    return new S3Client({
      region: this.region,
      endpoint: this.url,
      forcePathStyle: true,
      credentials: CREDENTIALS,
      ...config,
    });
  }

  /** An aws-sdk v2 client, path-style, signing SigV4. */
  v2Client(): S3V2 {
    return new S3V2({
      endpoint: this.url,
      s3ForcePathStyle: true,
      region: this.region,
      credentials: CREDENTIALS,
      signatureVersion: 'v4',
    });
  }

  /**
   * A virtual-hosted-style client: endpoint `http://localhost:<port>`, so the SDK sends
   * `Host: <bucket>.localhost:<port>`; `*.localhost` is resolved to 127.0.0.1 here, as systemd and
   * macOS resolve it, since this machine's resolver does not.
   */
  virtualHostedClient(): S3Client {
    const lookup: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    };
    const agent = new Agent({ lookup } as ConstructorParameters<typeof Agent>[0]);
    return this.client({
      endpoint: `http://localhost:${this.port}`,
      forcePathStyle: false,
      requestHandler: { httpAgent: agent },
    });
  }

  /** Closes the port and the database; the state folder stays for a restart. */
  async stop(): Promise<void> {
    await this.endpoint.stop();
    this.db.close();
  }

  /** Stops and removes the state folder. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

export async function startS3(options: S3Options = {}): Promise<S3Harness> {
  return new S3Harness(options).start();
}

/** The AWS CLI v1 (`aws`), with credentials from the environment only and the emulator's endpoint. */
export async function awsCli(
  harness: S3Harness,
  args: string[],
): Promise<{ stdout: string; stderr: string; code: number }> {
  const env = {
    PATH: process.env.PATH,
    HOME: harness.stateDir,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: harness.region,
    AWS_CONFIG_FILE: path.join(harness.stateDir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(harness.stateDir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  try {
    const { stdout, stderr } = await promisify(execFile)('aws', [...args, '--endpoint-url', harness.url], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

/**
 * Runs a Python script with boto3 against the harness: `s3` is a boto3 S3 client (path-style) on its
 * endpoint; what the script prints is returned.
 */
export async function boto3(harness: S3Harness, script: string): Promise<string> {
  const prelude = [
    'import boto3, json',
    'from botocore.config import Config',
    `s3 = boto3.client('s3', endpoint_url='${harness.url}', region_name='${harness.region}',`,
    `  aws_access_key_id='${CREDENTIALS.accessKeyId}', aws_secret_access_key='${CREDENTIALS.secretAccessKey}',`,
    "  config=Config(s3={'addressing_style': 'path'}))",
  ].join('\n');
  const { stdout } = await promisify(execFile)('python3', ['-c', `${prelude}\n${script}`], {
    env: { PATH: process.env.PATH, HOME: harness.stateDir, AWS_EC2_METADATA_DISABLED: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** The error an SDK v3 call rejects with: its name, HTTP status and raw fields. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ name: string; status?: number; error: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } } & Record<string, unknown>;
    return { name: e.name, status: e.$metadata?.httpStatusCode, error: e };
  }
  throw new Error('expected the call to fail');
}
