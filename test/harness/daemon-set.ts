/**
 * What every end-to-end topology does with its running daemons, whatever their number:
 * start one more (it resolves with the port the daemon got), read their output and the
 * job log, drive the Director with the real bconsole, stop one, stop all and remove the
 * run's temporary directory. The topologies themselves (daemons.ts's one client,
 * topology.ts's many) write the configurations.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './paths.js';
import {
  runProcess, startDaemonProcess, stopDaemon, untilListening, waitFor,
  type ConsoleResult, type DaemonProgram, type ListeningDaemon,
} from './processes.js';

export class DaemonSet {
  readonly daemons: ListeningDaemon[] = [];

  /**
   * @param dir a temporary directory owned by the run: removed by stop()
   * @param consoleConfig the bconsole configuration console() uses by default
   */
  protected constructor(readonly dir: string, readonly consoleConfig: string) {}

  /** The Director's Working Directory in the topologies the harness writes: its catalog is `bacula.db` there. */
  get directorWorkDir(): string {
    return join(this.dir, 'dir');
  }

  /**
   * Starts one more daemon (a second Director, say) that stop() ends with the others;
   * resolves once it says it is listening, with the port it got.
   */
  async spawnDaemon(name: string, program: DaemonProgram, config: string, timeoutMs?: number, prefix?: readonly string[]): Promise<ListeningDaemon> {
    const started = startDaemonProcess(name, program, config, prefix);
    const daemon = { ...started, port: 0 };
    this.daemons.push(daemon);
    daemon.port = await untilListening(started, timeoutMs);
    this.listening(name, daemon.port);
    return daemon;
  }

  /** Told of each daemon once it listens (a topology notes the port of its own daemons). */
  protected listening(_name: string, _port: number): void {}

  /**
   * Points the default console configuration at the Director's new port: its
   * `DIRport = N` line. Called when the topology's own Director is started again
   * (it listens on port 0, so it gets another port).
   */
  protected retargetConsole(port: number): void {
    const text = readFileSync(this.consoleConfig, 'utf8');
    writeFileSync(this.consoleConfig, text.replace(/^(\s*Director\s*\{[^}]*?DIRport\s*=\s*)\d+/im, `$1${port}`));
  }

  /** The output of the daemon started under `name`. */
  output(name: string): string {
    return this.daemons.find((d) => d.name === name)?.output() ?? '';
  }

  /** Runs bconsole with these lines on its standard input. */
  console(lines: string[], configFile = this.consoleConfig, timeoutMs = 60_000): Promise<ConsoleResult> {
    return runProcess(process.execPath, [BIN.bconsole, '-c', configFile], `${lines.join('\n')}\n`, timeoutMs);
  }

  /** The job log the Standard Messages of the harness's topologies append to. */
  jobLog(): string {
    try {
      return readFileSync(join(this.directorWorkDir, 'log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Resolves once the job log matches `what`; fails with the log and the daemons' output after 30 s. */
  untilLogged(what: RegExp, timeoutMs = 30_000): Promise<void> {
    return waitFor(() => what.test(this.jobLog()), timeoutMs, () => `no ${what} in the job log:\n${this.jobLog()}\n${this.logs()}`);
  }

  /** The daemons' logs, for assertion messages. */
  logs(): string {
    return this.daemons.map((d) => `----- ${d.name}\n${d.output()}`).join('\n');
  }

  /** Stops the daemon started under `name` and forgets it (to start it again with spawnDaemon). */
  async stopNamed(name: string): Promise<void> {
    const i = this.daemons.findIndex((d) => d.name === name);
    const [d] = i < 0 ? [] : this.daemons.splice(i, 1);
    if (d) await stopDaemon(d);
  }

  async stop(): Promise<void> {
    await Promise.all(this.daemons.map(stopDaemon));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
