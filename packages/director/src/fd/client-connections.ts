/**
 * Client-initiated connections (Bareos's `Connection From Client To Director`): a File
 * daemon behind a firewall connects to the Director and leaves the connection open;
 * the Director keeps it here, by client name, until a job or a status request of that
 * client takes it. Taken once: the File daemon sees its connection used and opens the
 * next one. A connection that ends while it waits is dropped from the list.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { Waiters } from '@burrow/common/signals/waiters';

/** One connection waiting for a job, as `status dir` lists it. */
export interface WaitingConnection {
  readonly client: string;
  readonly since: number;
  readonly remote: string;
}

interface Waiting extends WaitingConnection {
  readonly channel: Channel;
}

export class ClientConnections {
  private readonly waiting: Waiting[] = [];
  /** Jobs waiting for a connection of a client, by its name. */
  private readonly wanted = new Map<string, Waiters>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps a File daemon's connection (authenticated as Client `channel.peer.name`) until a job takes it. */
  offer(channel: Channel): void {
    const entry: Waiting = { client: channel.peer.name, since: this.now(), remote: channel.remoteAddress, channel };
    this.waiting.push(entry);
    channel.onClosed(() => {
      const i = this.waiting.indexOf(entry);
      if (i >= 0) this.waiting.splice(i, 1);
    });
    this.wanted.get(channel.peer.name)?.wakeAll();
  }

  /** A waiting connection of `client`, taken off the list; undefined when none waits. */
  take(client: string): Channel | undefined {
    const i = this.waiting.findIndex((w) => w.client === client && !w.channel.closed);
    if (i < 0) return undefined;
    const [entry] = this.waiting.splice(i, 1);
    return entry!.channel;
  }

  /**
   * A connection of `client`, waiting up to `timeoutMs` for one to come; fails with
   * TIMEOUT naming the client when none does, JOB_CANCELED when `signal` aborts.
   */
  async await(client: string, timeoutMs: number, signal?: AbortSignal): Promise<Channel> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const until = signal ? AbortSignal.any([signal, deadline]) : deadline;
    for (;;) {
      const channel = this.take(client);
      if (channel) return channel;
      let waiters = this.wanted.get(client);
      if (!waiters) this.wanted.set(client, waiters = new Waiters());
      try {
        await waiters.wait(until);
      } catch {
        if (signal?.aborted) throw new BurrowError('JOB_CANCELED', `canceled while waiting for Client "${client}" to connect`);
        throw new BurrowError('TIMEOUT', `Client "${client}" did not connect to the Director within ${Math.round(timeoutMs / 1000)} s (Connection From Client To Director)`);
      }
    }
  }

  /** The connections waiting now, oldest first. */
  list(): WaitingConnection[] {
    return this.waiting.filter((w) => !w.channel.closed).map(({ client, since, remote }) => ({ client, since, remote }));
  }
}
