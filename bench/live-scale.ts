/**
 * Live scale series (issue 14): collection against moto_server behind a 50 ms latency proxy, at
 * 100 / 1,000 / 5,000 buckets and 200 databases. Per series: API calls, wall time, efficiency
 * against the ideal (calls × latency ÷ concurrency), peak RSS, and how many results were unverified.
 * Buckets and databases are created in parallel straight against moto, not through the proxy.
 * READINESS_BENCH_SCALE=100,1000 picks the bucket counts.
 */
import { AwsSession, IN_FLIGHT } from '../src/collectors/aws/session.js';
import { collectors } from '../src/collectors/index.js';
import { parseConfig } from '../src/config/load.js';
import { collectFacts } from '../src/engine/collect.js';
import { buildReport, planFacts } from '../src/engine/run.js';
import type { AnyCheck, FactDefinition } from '../src/model.js';
import { allChecks } from '../checks/index.js';
import { startLatencyProxy } from '../test/support/latency-proxy.js';
import { motoEnv, startMoto, type Moto } from '../test/support/moto.js';

const LATENCY_MS = 50;
const CREATE_IN_FLIGHT = 32;

interface Series {
  label: string;
  calls: number;
  wallMs: number;
  concurrency: number;
  idealMs: number;
  peakRssMb: number;
  results: number;
  unverified: number;
  /** Which checks were unverified, and why (the first reason of each). */
  unverifiedBy: string[];
}

/** Runs `tasks` with at most `inFlight` at once. */
async function inParallel<T>(items: readonly T[], inFlight: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

async function createBuckets(moto: Moto, from: number, to: number): Promise<void> {
  const { S3Client, CreateBucketCommand, PutBucketVersioningCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const indexes = Array.from({ length: to - from }, (_, i) => from + i);
  await inParallel(indexes, CREATE_IN_FLIGHT, async (i) => {
    await s3.send(new CreateBucketCommand({ Bucket: `scale-${String(i).padStart(5, '0')}` }));
    if (i % 2 === 0) await s3.send(new PutBucketVersioningCommand({ Bucket: `scale-${String(i).padStart(5, '0')}`, VersioningConfiguration: { Status: 'Enabled' } }));
  });
  s3.destroy();
}

async function createDatabases(moto: Moto, count: number): Promise<void> {
  const { RDSClient, CreateDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const rds = new RDSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const indexes = Array.from({ length: count }, (_, i) => i);
  await inParallel(indexes, CREATE_IN_FLIGHT, (i) =>
    rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `db-${i}`, Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, MasterUsername: 'u', MasterUserPassword: 'password123', StorageEncrypted: i % 2 === 0 })),
  );
  rds.destroy();
}

/**
 * An S3 stand-in that answers every bucket call at once (ListBuckets, then per bucket: location, SSE-S3,
 * versioning on, all four public-access blocks, no lifecycle, policy, CORS or logging). Behind the latency
 * proxy it measures how well the tool overlaps the network, where moto (one Python process) cannot keep up.
 */
async function s3StandIn(buckets: number): Promise<{ endpoint: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>${body}`;
  const list = xml(`<ListAllMyBucketsResult><Owner><ID>1</ID></Owner><Buckets>${Array.from({ length: buckets }, (_, i) => `<Bucket><Name>standin-${i}</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>`).join('')}</Buckets></ListAllMyBucketsResult>`);
  const answers: Record<string, [number, string]> = {
    location: [200, xml('<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></LocationConstraint>')],
    encryption: [200, xml('<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>')],
    versioning: [200, xml('<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>')],
    publicAccessBlock: [200, xml('<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>')],
    lifecycle: [404, xml('<Error><Code>NoSuchLifecycleConfiguration</Code><Message>none</Message></Error>')],
    policy: [404, xml('<Error><Code>NoSuchBucketPolicy</Code><Message>none</Message></Error>')],
    cors: [404, xml('<Error><Code>NoSuchCORSConfiguration</Code><Message>none</Message></Error>')],
    logging: [200, xml('<BucketLoggingStatus xmlns="http://doc.s3.amazonaws.com/2006-03-01"/>')],
  };
  const server = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://standin');
    const [status, body] = url.pathname === '/' ? [200, list] : (answers[[...url.searchParams.keys()].find((key) => key in answers) ?? ''] ?? [404, xml('<Error><Code>NoSuchKey</Code><Message>?</Message></Error>')]);
    res.writeHead(status, { 'content-type': 'application/xml' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Collects the facts of `checks` through the proxy, as `readiness check` would, and evaluates them. */
async function measure(label: string, upstream: { endpoint: string }, checks: AnyCheck[], concurrency: number): Promise<Series> {
  const proxy = await startLatencyProxy(upstream.endpoint, LATENCY_MS);
  const loaded = parseConfig(`project: bench\naws: { region: us-east-1, endpoint: "${proxy.endpoint}" }\n`, 'bench.yaml');
  const env = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: proxy.endpoint };
  const aws = new AwsSession({ config: loaded.config.aws, env });
  const facts: FactDefinition[] = planFacts(checks);
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  try {
    const started = performance.now();
    const outcomes = await collectFacts(facts, {
      collectors,
      context: { config: loaded.config, now: new Date(), env, baseDir: process.cwd(), aws },
      runSignal: AbortSignal.timeout(3_600_000),
    });
    const wallMs = performance.now() - started;
    const report = buildReport({ loaded, checks, outcomes, now: new Date(), source: { kind: 'live' } });
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const calls = proxy.requests;
    return {
      label,
      calls,
      wallMs,
      concurrency,
      idealMs: (calls * LATENCY_MS) / concurrency,
      peakRssMb: peakRss / 2 ** 20,
      results: report.results.length,
      unverified: report.results.filter((r) => r.status === 'unverified').length,
      unverifiedBy: [...new Map(report.results.filter((r) => r.status === 'unverified').map((r) => [r.checkId, `${r.checkId} (${r.resource}: ${r.message})`])).values()],
    };
  } finally {
    clearInterval(sampler);
    aws.destroy();
    await proxy.close();
  }
}

const byId = (prefixes: string[], except: string[] = []) => allChecks.filter((c) => prefixes.some((p) => c.meta.id.startsWith(p)) && !except.includes(c.meta.id));

export async function liveScale(): Promise<void> {
  const sizes = (process.env.READINESS_BENCH_SCALE ?? '100,1000,5000').split(',').map(Number);
  // Every per-bucket S3 check. The account-level block is one S3 Control read per run, not per bucket (moto serves it,
  // the stand-in does not): left out of both series, so that their figures compare.
  const s3Checks = byId(['aws.s3.'], []);
  const s3Facts = planFacts(s3Checks).filter((f) => f.id !== 'aws.s3.account-public-access-block');
  const s3Only = s3Checks.filter((c) => Object.values(c.facts as Record<string, FactDefinition | { fact: FactDefinition }>).every((ref) => s3Facts.includes('fact' in ref ? ref.fact : ref)));
  const rdsChecks = byId(['aws.rds.'], ['aws.rds.restore-tested', 'aws.rds.disaster-recovery']);
  const series: Series[] = [];
  // The SDK reads credentials from the process environment: dummy ones, as for moto.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
  if (process.env.READINESS_BENCH_STANDIN !== '0') {
    for (const size of sizes) {
      const standIn = await s3StandIn(size);
      try {
        series.push(await measure(`${size.toLocaleString('en-US')} buckets, S3 stand-in (${s3Only.length} S3 checks)`, standIn, s3Only, IN_FLIGHT.s3!));
      } finally {
        await standIn.close();
      }
    }
  }
  if (process.env.READINESS_BENCH_MOTO === '0') return print(series);
  const moto = await startMoto();
  try {
    Object.assign(process.env, motoEnv(moto));
    let created = 0;
    for (const size of sizes) {
      const start = performance.now();
      await createBuckets(moto, created, size);
      created = size;
      console.error(`bench: ${size} buckets in moto (${((performance.now() - start) / 1000).toFixed(0)} s to create)`);
      series.push(await measure(`${size.toLocaleString('en-US')} buckets, moto (${s3Only.length} S3 checks)`, moto, s3Only, IN_FLIGHT.s3!));
    }
    await moto.reset();
    await createDatabases(moto, 200);
    // RDS facts are listings (DescribeDBInstances pages of 100) and a few lookups: a chain, one call at a time per fact.
    series.push(await measure(`200 databases, moto (${rdsChecks.length} RDS checks)`, moto, rdsChecks, 1));
  } finally {
    await moto.stop();
  }
  print(series);
}

function print(series: Series[]): void {
  console.log(`\n## Live scale: moto behind a ${LATENCY_MS} ms latency proxy\n`);
  console.log(`Ideal = calls × ${LATENCY_MS} ms ÷ concurrency (S3: the shared pool of ${IN_FLIGHT.s3}); efficiency = ideal ÷ wall.\n`);
  console.log('| series | calls | wall | ideal | efficiency | peak RSS | results | unverified |\n|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of series) {
    console.log(`| ${s.label} | ${s.calls.toLocaleString('en-US')} | ${(s.wallMs / 1000).toFixed(1)} s | ${(s.idealMs / 1000).toFixed(1)} s (÷${s.concurrency}) | ${(s.idealMs / s.wallMs).toFixed(2)} | ${s.peakRssMb.toFixed(0)} MB | ${s.results.toLocaleString('en-US')} | ${s.unverified} |`);
  }
  for (const s of series) if (s.unverifiedBy.length) console.log(`\n${s.label}, unverified: ${s.unverifiedBy.join('; ')}`);
  console.log(`\nCalls per second: ${series.map((s) => `${s.label.split(' (')[0]}: ${Math.round(s.calls / (s.wallMs / 1000))}`).join('; ')}.`);
}
