/**
 * estimate job=NAME [level=L] [client=C] [fileset=F] [listing]: what a run would save,
 * asked of the File daemon without saving anything. Incrementals and Differentials
 * use the same *since* a real run would.
 */
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
import { allowedJob, checkOverrides } from './run.js';
import { ok, type Command } from '../command.js';
import { expandOnDirector } from '../../jobs/fileset-lists.js';

export const estimateCommand: Command = {
  name: 'estimate',
  help: 'Estimate what a backup would save',
  usage: 'estimate job=<job-name> [level=<level>] [client=<name>] [fileset=<name>] [listing]',
  run: async (ctx, args) => {
    const name = args.get('job');
    if (!name) throw new BurrowError('BAD_REQUEST', 'estimate: give job=NAME');
    checkOverrides(ctx, args);
    const plan = resolveBackup(ctx.config, allowedJob(ctx, name), {
      level: args.get('level'), client: args.get('client'), fileset: args.get('fileset'),
    }, ctx.resolvePath);
    const clientId = ctx.catalog.ensureClient(plan.client.name);
    const fileSetId = ctx.catalog.ensureFileSet(plan.fileset.name, plan.fileset.digest);
    const baseline = chooseBaseline(ctx.catalog, plan, clientId, fileSetId);
    const fd = await openClient(plan.client, ctx.env.directorName);
    const lines: string[] = [];
    const listed: Array<{ path: string; size: number }> = [];
    try {
      await fd.send('fdEstimate', {
        level: LEVEL_NAMES[baseline.level], since: baseline.since === null ? null : timestampFromMs(baseline.since),
        fileset: await expandOnDirector(plan.fileset.spec), listing: args.has('listing'),
      });
      for (;;) {
        const msg = await fd.receive();
        if (msg.kind === 'estimateListing') {
          for (const f of msg.body.files) {
            const path = displayPath(f.path);
            listed.push({ path, size: f.size });
            lines.push(`${String(f.size).padStart(12)} ${path}`);
          }
        } else if (msg.kind === 'jobMessage') {
          lines.push(`${msg.body.level}: ${msg.body.text}`);
        } else if (msg.kind === 'fdJobEnd') {
          if (peerStatus(msg.body.status) !== 'T' && peerStatus(msg.body.status) !== 'W') {
            throw new BurrowError('JOB_FAILED', `estimate failed on the client: ${msg.body.error}`);
          }
          const { files, bytes } = msg.body;
          const head = `Connecting to Client ${plan.client.name} at ${plan.client.address}:${plan.client.port}`;
          const level = baseline.note ? `${LEVEL_NAMES[baseline.level]} (${baseline.note})` : LEVEL_NAMES[baseline.level];
          return ok([head, ...lines, `2000 OK estimate files=${withCommas(files)} bytes=${bytesForReport(bytes)} level=${level}`].join('\n'),
            { files, bytes, level: LEVEL_NAMES[baseline.level], listing: args.has('listing') ? listed : undefined });
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
};
