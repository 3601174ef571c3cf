/**
 * bconsole's progress line while `wait` runs on a terminal: a second connection to
 * the Director asks `status dir` (as JSON) once a second and shows the running jobs'
 * progress on one line, redrawn in place, until the wait ends. A convenience: if the
 * second connection fails, the wait goes on without it.
 */
import type { Channel } from '@burrow/common/net/channel';
import { withCommas } from '@burrow/common/progress/index';

/** What the line needs of `status dir`'s running jobs (console/commands/status.ts DirectorStatus). */
interface RunningJob {
  jobId: number;
  state: string;
  progress?: { files: number; bytes: number; bytesPerSecond: number; file: string };
}

/** Once a second: how often the line is redrawn (a person watches it, nothing depends on it). */
const REDRAW_MS = 1000;
/** The line's width, so that a long file name does not wrap the terminal. */
const WIDTH = 160;

/** One line for the running jobs: each one's JobId, files, bytes and rate, and the last one's file. */
export function progressLine(running: readonly RunningJob[]): string {
  const jobs = running.filter((j) => j.state === 'running');
  if (jobs.length === 0) return '';
  const parts = jobs.map((j) => {
    const p = j.progress;
    return p ? `JobId ${j.jobId}: Files=${withCommas(p.files)} Bytes=${withCommas(p.bytes)} AveBytes/sec=${withCommas(p.bytesPerSecond)}` : `JobId ${j.jobId}: starting`;
  });
  const file = jobs.length === 1 ? jobs[0]?.progress?.file : undefined;
  const line = `${parts.join('; ')}${file ? ` ${file}` : ''}`;
  return line.length > WIDTH ? `${line.slice(0, WIDTH - 3)}...` : line;
}

async function ask(channel: Channel, line: string): Promise<string> {
  await channel.send('consoleCommand', { text: line });
  let json = '';
  for (;;) {
    const reply = await channel.expect('consoleReply');
    json += reply.json;
    if (!reply.more) return json;
  }
}

/** Starts drawing; the returned function (idempotent) stops, clears the line, and resolves once the second connection is closed. */
export function showWaitProgress(open: () => Promise<Channel>, write: (text: string) => void): () => Promise<void> {
  const stop = new AbortController();
  let shown = false;
  const drawing = (async (): Promise<void> => {
    let channel: Channel | undefined;
    try {
      channel = await open();
      await ask(channel, '.api json');
      while (!stop.signal.aborted) {
        const doc = JSON.parse(await ask(channel, 'status dir')) as { result?: { running?: RunningJob[] } };
        const line = progressLine(doc.result?.running ?? []);
        if (stop.signal.aborted) break;
        write(`\r\x1b[K${line}`);
        shown = line !== '';
        await new Promise<void>((resolve) => {
          const early = (): void => {
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(() => {
            stop.signal.removeEventListener('abort', early);
            resolve();
          }, REDRAW_MS);
          stop.signal.addEventListener('abort', early, { once: true });
        });
      }
    } catch {
      // The progress line is a convenience; the wait's own answer still comes.
    } finally {
      channel?.close('progress line done');
    }
  })();
  let stopped: Promise<void> | undefined;
  return () => {
    stop.abort();
    stopped ??= drawing.then(() => {
      if (shown) write('\r\x1b[K');
    });
    return stopped;
  };
}
