/**
 * Client side of the live protocol, for the browser (the live page) and for
 * Node (tests, bench): subscribes on every (re)connect, so a reconnecting
 * client starts from a fresh snapshot, folds deltas into the state, and
 * subscribes again whenever a delta does not follow (a gap).
 */
import type { Socket } from 'socket.io-client';
import {
  LIVE_EVENTS,
  LIVE_PROTOCOL_VERSION,
  applyDelta,
  stateFromSnapshot,
  type LiveDelta,
  type LiveFilter,
  type LiveState,
  type SubscribeAck,
  type SubscribeError,
} from './protocol';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | { error: SubscribeError; detail?: string };

export interface LiveSubscriptionOptions {
  domain: string;
  filter?: LiveFilter;
  onState: (state: LiveState | null, status: LiveStatus) => void;
  /** Called with every delta as received, before it is applied (tests, bench). */
  onDelta?: (delta: LiveDelta) => void;
}

export class LiveSubscription {
  private state: LiveState | null = null;
  private status: LiveStatus = 'connecting';
  private filter: LiveFilter;
  /** Bumped by every (re)subscribe: an older ack is ignored. */
  private generation = 0;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly opts: LiveSubscriptionOptions,
  ) {
    this.filter = opts.filter ?? {};
    socket.on('connect', this.onConnect);
    socket.on('disconnect', this.onDisconnect);
    socket.on(LIVE_EVENTS.delta, this.onDelta);
    if (socket.connected) this.subscribe();
  }

  setFilter(filter: LiveFilter): void {
    this.filter = filter;
    this.state = null;
    this.set('connecting');
    if (this.socket.connected) this.subscribe();
  }

  get current(): LiveState | null {
    return this.state;
  }

  close(): void {
    this.closed = true;
    this.socket.off('connect', this.onConnect);
    this.socket.off('disconnect', this.onDisconnect);
    this.socket.off(LIVE_EVENTS.delta, this.onDelta);
    if (this.socket.connected) this.socket.emit(LIVE_EVENTS.unsubscribe, {});
  }

  private set(status: LiveStatus): void {
    this.status = status;
    this.opts.onState(this.state, status);
  }

  private onConnect = () => this.subscribe();

  private onDisconnect = () => {
    if (!this.closed) this.set('reconnecting');
  };

  private onDelta = (d: LiveDelta) => {
    if (this.closed || !this.state || d.room !== this.state.room) return;
    this.opts.onDelta?.(d);
    const next = applyDelta(this.state, d);
    if (!next) {
      // Missed a delta: start again from a snapshot; deltas until its ack are in it.
      this.state = null;
      this.subscribe();
      return;
    }
    this.state = next;
    this.opts.onState(this.state, this.status);
  };

  private subscribe(): void {
    const gen = ++this.generation;
    this.socket.emit(
      LIVE_EVENTS.subscribe,
      { v: LIVE_PROTOCOL_VERSION, domain: this.opts.domain, filter: this.filter },
      (ack: SubscribeAck) => {
        if (this.closed || gen !== this.generation) return;
        if (!ack.ok) {
          this.state = null;
          this.set({ error: ack.error, detail: ack.detail });
          return;
        }
        this.state = stateFromSnapshot(ack.snapshot);
        this.set('live');
      },
    );
  }
}
