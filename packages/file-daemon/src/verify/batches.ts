/** VerifyEntry messages to the Director, a batch at a time (a few hundred KiB a frame). */
import type { Channel } from '@burrow/common/net/channel';
import type { burrow } from '@burrow/common/proto/index';

const BATCH = 500;

export class EntryBatches {
  private batch: burrow.IVerifyEntry[] = [];
  sent = 0;

  constructor(private readonly director: Channel) {}

  async add(entry: burrow.IVerifyEntry): Promise<void> {
    this.batch.push(entry);
    if (this.batch.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const entries = this.batch;
    this.batch = [];
    this.sent += entries.length;
    await this.director.send('verifyBatch', { entries });
  }
}
