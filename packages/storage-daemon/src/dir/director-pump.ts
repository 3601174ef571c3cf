/**
 * During a session the Director may speak at any time (a volume reply, a cancel),
 * so one loop reads its channel and routes: replies resolve the request waiting for
 * them, a cancel aborts the session.
 */
import { BurrowError } from '@burrow/common/errors/index';
import type { Channel } from '@burrow/common/net/channel';
import { peerError } from '@burrow/common/net/channel';
import type { burrow } from '@burrow/common/proto/index';

export interface VolumeRequest {
  jobId: number;
  /** The volume just filled, or '' for the session's first. */
  previousVolume: string;
  /** The volume of the last reply, when it could not be used, and why. */
  unusable?: { volume: string; reason: string };
  /** The volume of the last reply, when its cartridge is in no slot of the drive's autochanger. */
  notInChanger?: string;
  /** The device's Label Media: whether the Director may hand out a volume still to be labelled. */
  labelMedia: boolean;
  /** The volume the job's drive has mounted: the Director prefers it when it suits the job. */
  mountedVolume?: string;
  /** Volumes other drives append to: the Director must not hand them out. */
  unwantedVolumes: string[];
  /** After a "no volume" reply: what made the session ask again ('' for a new request). */
  askingAgain: '' | 'poll' | 'mount' | 'label' | 'slots';
  /** The job's drive as Bareos prints it, for the operator's messages. */
  device: string;
  /** The mounted volume whose disk has no room for its first data block: the job waits for space. */
  noSpace?: string;
  /** With noSpace: why, when it is not the volume's first data block (a new volume's label did not fit). */
  noSpaceReason?: string;
}

export class DirectorPump {
  private waiting: { resolve: (r: burrow.SdVolumeReply) => void; reject: (e: BurrowError) => void } | undefined;
  readonly cancel = new AbortController();
  readonly done: Promise<void>;
  /** Resolves when the Director asks the session to connect to a passive File daemon (never otherwise). */
  readonly connectClient: Promise<burrow.SdConnectClient>;
  private connectTo!: (target: burrow.SdConnectClient) => void;

  constructor(private readonly director: Channel) {
    this.connectClient = new Promise((resolve) => { this.connectTo = resolve; });
    this.done = this.loop();
  }

  /** Asks the Director for the volume to write on next (another one, when the last could not be used). */
  requestVolume(req: VolumeRequest): Promise<burrow.SdVolumeReply> {
    return this.ask(() => this.director.send('sdVolumeRequest', {
      jobId: req.jobId, previousVolume: req.previousVolume, unusableVolume: req.unusable?.volume, unusableReason: req.unusable?.reason,
      labelMedia: req.labelMedia, mountedVolume: req.mountedVolume, unwantedVolumes: req.unwantedVolumes, askingAgain: req.askingAgain, device: req.device,
      notInChangerVolume: req.notInChanger, noSpaceVolume: req.noSpace, noSpaceReason: req.noSpaceReason,
    }));
  }

  /**
   * A read session cannot have the volume it must read (its cartridge is in no slot of
   * the changer): the Director notes it, asks the operator, and says how long to wait
   * before trying again (its SdVolumeReply has no_volume).
   */
  requestReadVolume(req: burrow.ISdReadVolumeRequest): Promise<burrow.SdVolumeReply> {
    return this.ask(() => this.director.send('sdReadVolumeRequest', req));
  }

  private async ask(send: () => Promise<void>): Promise<burrow.SdVolumeReply> {
    if (this.waiting) throw new BurrowError('INTERNAL', 'a volume request is already waiting');
    const reply = new Promise<burrow.SdVolumeReply>((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
    await send();
    return reply;
  }

  private settle(fn: (w: NonNullable<DirectorPump['waiting']>) => void): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) fn(w);
  }

  private async loop(): Promise<void> {
    for (;;) {
      let msg;
      try {
        msg = await this.director.receive();
      } catch (err) {
        const e = err instanceof BurrowError ? err : new BurrowError('CONNECTION', 'Director connection lost');
        this.settle((w) => w.reject(e));
        this.cancel.abort(new BurrowError('JOB_CANCELED', `the Director went away: ${e.message}`));
        return;
      }
      switch (msg.kind) {
        case 'sdVolumeReply':
          this.settle((w) => w.resolve(msg.body));
          break;
        case 'sdConnectClient':
          this.connectTo(msg.body);
          break;
        case 'error':
          this.settle((w) => w.reject(peerError(msg.body)));
          break;
        case 'cancel':
          this.cancel.abort(new BurrowError('JOB_CANCELED', 'canceled by the Director'));
          this.settle((w) => w.reject(new BurrowError('JOB_CANCELED', 'canceled by the Director')));
          break;
        default:
          this.director.violation(`unexpected ${msg.kind} during a session`);
      }
    }
  }
}
