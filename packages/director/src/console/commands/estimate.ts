/**
 * estimate job=NAME [level=L] [client=C] [fileset=F] [listing]: what a run would save,
 * asked of the File daemon without saving anything. Incrementals and Differentials
 * use the same *since* a real run would.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { displayPath } from '@burrow/common/names/index';
import { timestampFromMs } from '@burrow/common/proto/index';
import { peerError } from '@burrow/common/net/channel';
import { openClient } from '../../fd/client-link.js';
import { chooseBaseline } from '../../jobs/baseline.js';
import { bytesForReport, withCommas } from '../../jobs/format.js';
import { LEVEL_NAMES } from '../../jobs/plan.js';
import { peerStatus } from '../../jobs/status.js';
import { resolveBackup } from '../../setup/resolve.js';
import { expandOnDirector } from '../../jobs/fileset-lists.js';
import { defineCommand } from '../command.js';
import { flag, text } from '../arg-types.js';
import { allowedJob, checkOverrides } from './run.js';

/** A message the client sent while it walked, and how many listed files came before it. */
export interface EstimateMessage {
  level: string;
  text: string;
  after: number;
}

export interface EstimateResult {
  client: string;
  address: string;
  port: number;
  files: number;
  bytes: number;
  /** The level a run would have (an Incremental with no Full becomes Full). */
  level: string;
  /** Why the level differs from the one asked for, if it does. */
  note: string | null;
  /** With `listing`: each file a run would save. */
  listing?: Array<{ path: string; size: number }>;
  messages: EstimateMessage[];
}

export const estimateCommand = defineCommand({
  name: 'estimate',
  help: 'Estimate what a backup would save',
  usage: 'estimate job=<job-name> [level=<level>] [client=<name>] [fileset=<name>] [listing]',
  args: z.object({
    job: text().optional(),
    level: text().optional(),
    client: text().optional(),
    fileset: text().optional(),
    listing: flag().default(false),
  }).strict(),
  run: async (ctx, a): Promise<EstimateResult> => {
    if (!a.job) throw new BurrowError('BAD_REQUEST', 'estimate: give job=NAME');
    checkOverrides(ctx, a);
    const plan = resolveBackup(ctx.config, allowedJob(ctx, a.job), { level: a.level, client: a.client, fileset: a.fileset }, ctx.resolvePath);
    const clientId = await ctx.catalog.ensureClient(plan.client.name);
    const fileSetId = await ctx.catalog.ensureFileSet(plan.fileset.name, plan.fileset.digest);
    const baseline = await chooseBaseline(ctx.catalog, plan, clientId, fileSetId);
    const fd = await openClient(ctx.env, plan.client);
    const listing: Array<{ path: string; size: number }> = [];
    const messages: EstimateMessage[] = [];
    try {
      await fd.send('fdEstimate', {
        level: LEVEL_NAMES[baseline.level], since: baseline.since === null ? null : timestampFromMs(baseline.since),
        fileset: await expandOnDirector(plan.fileset.spec), listing: a.listing,
      });
      for (;;) {
        const msg = await fd.receive();
        if (msg.kind === 'estimateListing') {
          for (const f of msg.body.files) listing.push({ path: displayPath(f.path), size: f.size });
        } else if (msg.kind === 'jobMessage') {
          messages.push({ level: msg.body.level, text: msg.body.text, after: listing.length });
        } else if (msg.kind === 'fdJobEnd') {
          if (peerStatus(msg.body.status) !== 'T' && peerStatus(msg.body.status) !== 'W') {
            throw new BurrowError('JOB_FAILED', `estimate failed on the client: ${msg.body.error}`);
          }
          return {
            client: plan.client.name, address: plan.client.address, port: plan.client.port, files: msg.body.files, bytes: msg.body.bytes,
            level: LEVEL_NAMES[baseline.level], note: baseline.note ?? null, ...(a.listing ? { listing } : {}), messages,
          };
        } else if (msg.kind === 'error') {
          // The client refused (a Monitor Director, say): its words reach the operator.
          throw peerError(msg.body);
        } else {
          throw fd.violation(`unexpected ${msg.kind} during an estimate`);
        }
      }
    } finally {
      fd.close('estimate done');
    }
  },
  render: renderEstimate,
});

/** Bareos's estimate answer: the listing with the client's messages where they came, then the totals. */
export function renderEstimate(r: EstimateResult): string {
  const lines = [`Connecting to Client ${r.client} at ${r.address}:${r.port}`];
  const files = r.listing ?? [];
  let next = 0;
  for (let i = 0; i <= files.length; i++) {
    for (; next < r.messages.length && (r.messages[next]?.after ?? 0) <= i; next++) {
      const m = r.messages[next] as EstimateMessage;
      lines.push(`${m.level}: ${m.text}`);
    }
    const f = files[i];
    if (f) lines.push(`${String(f.size).padStart(12)} ${f.path}`);
  }
  const level = r.note ? `${r.level} (${r.note})` : r.level;
  lines.push(`2000 OK estimate files=${withCommas(r.files)} bytes=${bytesForReport(r.bytes)} level=${level}`);
  return lines.join('\n');
}
