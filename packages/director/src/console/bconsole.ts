#!/usr/bin/env node
/**
 * bconsole: the operator's console. Reads a Bareos-style bconsole.conf, connects to
 * the Director over TLS-PSK, and sends each command line; interactive with history
 * and tab completion on a terminal, line by line from a pipe. Exits non-zero when
 * any command failed, so scripts can rely on it.
 */
import { parseArgs } from 'node:util';
import { createInterface, type Interface } from 'node:readline';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFileSync, appendFileSync } from 'node:fs';
import { connect } from '@burrow/common/net/client';
import type { Channel } from '@burrow/common/net/channel';
import { BurrowError, describeError } from '@burrow/common/errors/index';
// The console's own loader, not the config index: that loads every daemon's schemas (about 50 ms of CPU at each start).
import { loadConsoleConfig } from '@burrow/common/config/daemons/console';
import { COMMAND_NAMES } from './command-names.js';
import { DEFAULT_CONSOLE_NAME } from './console-name.js';
import { showWaitProgress } from './wait-progress.js';
import type { burrow } from '@burrow/common/proto/index';


const USAGE = `Usage: bconsole [-c config] [-D director] [-t]
  -c FILE   configuration file (default /etc/burrow/bconsole.conf)
  -D NAME   which Director resource of the file to use
  -t        test the configuration and exit
`;

interface Target {
  host: string;
  port: number;
  consoleName: string;
  password: string;
  directorName: string;
  /** Heartbeat Interval in ms (the Console resource's, else the Director resource's); 0: none. */
  heartbeatMs: number;
}

function resolveTarget(configPath: string, directorName: string | undefined): Target {
  const { config } = loadConsoleConfig(configPath);
  const director = directorName
    ? config.directors.find((d) => d.name.toLowerCase() === directorName.toLowerCase())
    : config.directors[0];
  if (!director) throw new Error(directorName ? `no Director "${directorName}" in ${configPath}` : `no Director resource in ${configPath}`);
  // A Console resource turns this into a named (restricted) console with its own password.
  const named = config.consoles.find((c) => !c.director || c.director.toLowerCase() === director.name.toLowerCase());
  return {
    host: director.address,
    port: director.dirPort,
    directorName: director.name,
    consoleName: named ? named.name : DEFAULT_CONSOLE_NAME,
    password: named ? named.password : director.password,
    heartbeatMs: (named?.heartbeatInterval ?? director.heartbeatInterval ?? 0) * 1000,
  };
}

interface Answer {
  ok: boolean;
  /** Set when the Director awaits an answer (restore menu, file tree): show it, send the next line. */
  prompt: string;
}

/** Sends one line and prints every reply. */
async function runCommand(channel: Channel, line: string): Promise<Answer> {
  await channel.send('consoleCommand', { text: line });
  return printReplies(channel, await channel.expect('consoleReply'));
}

/** Prints `first` and the replies that follow it, up to the command's last. */
async function printReplies(channel: Channel, first: burrow.ConsoleReply): Promise<Answer> {
  for (let reply = first; ; reply = await channel.expect('consoleReply')) {
    const out = reply.json || reply.text;
    if (out) process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
    if (!reply.more) return { ok: reply.ok, prompt: reply.prompt };
  }
}

/** `quit` ends bconsole, except inside a conversation, where it is the conversation's own word. */
function isQuit(line: string, prompt: string): boolean {
  return !prompt && /^(quit|exit|q)$/i.test(line.trim());
}

/** `wait` on a terminal: the running jobs' progress on one line meanwhile (wait-progress.ts). */
async function waitShowingProgress(channel: Channel, line: string, target: Target): Promise<Answer> {
  const stop = showWaitProgress(() => connectTo(target), (text) => process.stdout.write(text));
  try {
    await channel.send('consoleCommand', { text: line });
    const first = await channel.expect('consoleReply');
    await stop();
    return await printReplies(channel, first);
  } finally {
    await stop();
  }
}

async function interactive(channel: Channel, target: Target): Promise<number> {
  const historyFile = join(homedir(), '.bconsole_history');
  let history: string[] = [];
  try {
    history = readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 500);
  } catch {
    // No history yet.
  }
  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    history,
    historySize: 500,
    completer: (line: string): [string[], string] => {
      const words = line.split(/\s+/);
      if (words.length > 1) return [[], line];
      const hits = COMMAND_NAMES.filter((c) => c.startsWith(line));
      return [hits.length ? hits : COMMAND_NAMES.slice(), line];
    },
  });
  process.stdout.write(`Connecting to Director ${target.host}:${target.port}\n`);
  process.stdout.write(`Connected to ${target.directorName} as console "${target.consoleName}". Enter a period to cancel a command.\n`);
  let failures = 0;
  let prompt = '';
  rl.setPrompt('*');
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (isQuit(text, prompt)) break;
    // Inside a conversation an empty line is an answer too (it ends a list of files).
    if (text || prompt) {
      if (text) try { appendFileSync(historyFile, `${text}\n`); } catch { /* history is a convenience */ }
      try {
        const answer = !prompt && /^wait(\s|$)/i.test(text) ? await waitShowingProgress(channel, text, target) : await runCommand(channel, text);
        if (!answer.ok) failures++;
        prompt = answer.prompt;
      } catch (err) {
        process.stderr.write(`bconsole: ${describeError(err)}\n`);
        rl.close();
        return 2;
      }
    }
    rl.setPrompt(prompt || '*');
    rl.prompt();
  }
  rl.close();
  return failures > 0 ? 1 : 0;
}

async function fromPipe(channel: Channel): Promise<number> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  let failures = 0;
  let prompt = '';
  for await (const line of rl) {
    const text = line.trim();
    if (!prompt && (!text || text.startsWith('#'))) continue;
    if (isQuit(text, prompt)) break;
    // The transcript shows the question and the answer read from the pipe.
    if (prompt) process.stdout.write(`${prompt}${text}\n`);
    const answer = await runCommand(channel, text);
    if (!answer.ok) failures++;
    prompt = answer.prompt;
  }
  return failures > 0 ? 1 : 0;
}

function connectTo(target: Target): Promise<Channel> {
  return connect({
    host: target.host,
    port: target.port,
    self: { role: 'console', name: target.consoleName },
    secret: target.password,
    peer: { role: 'director', name: target.directorName },
    describeTarget: `Director ${target.directorName}`,
    heartbeatMs: target.heartbeatMs,
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { c: { type: 'string' }, D: { type: 'string' }, t: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const configPath = values.c ?? '/etc/burrow/bconsole.conf';
  const target = resolveTarget(configPath, values.D);
  if (values.t) return 0;
  const channel = await connectTo(target);
  try {
    return process.stdin.isTTY ? await interactive(channel, target) : await fromPipe(channel);
  } finally {
    channel.close('console quit');
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bconsole: ${describeError(err)}\n`);
    // As the daemons do: 1 for a configuration error, 2 for anything else.
    process.exit(err instanceof BurrowError && err.code.startsWith('CONFIG') ? 1 : 2);
  },
);
