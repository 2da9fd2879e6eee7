/**
 * Messages to one WebSocket, sent one per turn of the event loop and never faster than the client
 * reads: a late subscriber to a 300,000-event run gets 60 messages of 5,000 events without the
 * server serialising 25 MB in one go, and a slow client is not buffered without bound.
 */
import type { WebSocket } from 'ws';

/** Bytes buffered for a client beyond which sending waits for it to read (ws's bufferedAmount). */
const HIGH_WATER = 4 * 1024 * 1024;
/** Milliseconds to wait before looking again at a full buffer. */
const WAIT_MS = 20;

export class SocketQueue {
  private readonly queue: Array<object | 'close'> = [];
  private pumping = false;

  constructor(private readonly socket: WebSocket) {}

  /** Sends `message` (as JSON) after everything queued before it. */
  send(message: object): void {
    this.queue.push(message);
    this.pump();
  }

  /** Closes the socket (1000) once everything queued has been sent. */
  close(): void {
    this.queue.push('close');
    this.pump();
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const step = (): void => {
      const socket = this.socket;
      if (socket.readyState !== socket.OPEN || this.queue.length === 0) {
        this.pumping = false;
        return;
      }
      if (socket.bufferedAmount > HIGH_WATER) {
        setTimeout(step, WAIT_MS);
        return;
      }
      const next = this.queue.shift()!;
      if (next === 'close') socket.close(1000, 'end of run');
      else socket.send(JSON.stringify(next));
      setImmediate(step);
    };
    step();
  }
}
