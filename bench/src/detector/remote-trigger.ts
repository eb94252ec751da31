import { join } from 'node:path';
import { ForkedWorker } from '../lib/forked';
import { isReady, isTriggerReport, isTriggerSlice, type TriggerReport, type TriggerSlice } from './trigger-protocol';

/** The trigger subscriber (trigger-subscriber.ts) in its own process. */
export class RemoteTrigger {
  private constructor(private readonly w: ForkedWorker) {}

  static async start(url: string, bookSubjects: readonly string[], targetSubject: string): Promise<RemoteTrigger> {
    const w = ForkedWorker.fork(join(__dirname, 'trigger-subscriber.js'), 'trigger subscriber');
    try {
      await w.request({ type: 'start', url, bookSubjects, targetSubject }, 'ready', isReady);
    } catch (error) {
      w.kill();
      throw error;
    }
    return new RemoteTrigger(w);
  }

  reset(): void {
    this.w.send({ type: 'reset' });
  }

  slice(): Promise<TriggerSlice> {
    return this.w.request({ type: 'slice' }, 'slice', isTriggerSlice);
  }

  async stop(): Promise<TriggerReport> {
    const r = await this.w.request({ type: 'stop' }, 'report', isTriggerReport);
    await this.w.finish();
    return r;
  }

  kill(): void {
    this.w.kill();
  }
}
