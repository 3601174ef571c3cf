/**
 * The Director's configuration in one swappable place. Everything that acts on the
 * configuration while the Director runs (console commands, the scheduler, the job
 * queue, console logins) reads the generation in force from here when it needs it,
 * instead of capturing the configuration at start; `reload` (and SIGHUP) puts a new
 * generation in place.
 *
 * Terms: a *generation* is one loaded configuration together with what is built from
 * it once (the Messages routing jobs log through, the parsed schedule). A job keeps
 * the generation it was submitted under, as a Bareos job keeps the resources it
 * started with; a console command reads one generation from its start to its end.
 */
import type { DirectorConfig } from '@burrow/common/config/index';
import type { JobEnv } from '../jobs/env.js';
import type { ScheduleEntry } from '../scheduler/scheduler.js';
import type { MessageType } from '../messages/job-lines.js';

export interface Generation {
  readonly config: DirectorConfig;
  /** What jobs submitted under this configuration use (its Messages destinations). */
  readonly env: JobEnv;
  /** The Run lines of its Schedules, parsed. */
  readonly schedule: readonly ScheduleEntry[];
  /**
   * A line of the Director's own (no job's), as Bareos's daemon messages: dated, named
   * for the Director, to the destinations of its `Messages =` resource that take `type`.
   */
  readonly daemonMessage: (type: MessageType, text: string) => void;
}

export class LiveConfiguration {
  private generation: Generation;
  private readonly listeners: Array<(next: Generation) => void> = [];

  constructor(first: Generation) {
    this.generation = first;
  }

  get current(): Generation {
    return this.generation;
  }

  /** Called after each replacement, in the order registered. */
  onReplace(listener: (next: Generation) => void): void {
    this.listeners.push(listener);
  }

  replace(next: Generation): void {
    this.generation = next;
    for (const listener of this.listeners) listener(next);
  }
}
