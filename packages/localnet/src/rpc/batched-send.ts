import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * A send for one connection that coalesces every frame of an event-loop turn into one socket
 * write: a client pipelining requests gets its replies in one writev instead of one syscall
 * (and one loopback TCP round of the receiver's stack) each. The socket is corked at the
 * first frame of a turn and uncorked once the turn's I/O callbacks have run.
 */
export function batchedSender(ws: WebSocket, socket: Duplex): (frame: string) => void {
  let corked = false;
  const flush = () => {
    corked = false;
    socket.uncork();
  };
  return (frame) => {
    if (ws.readyState !== ws.OPEN) return;
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    ws.send(frame);
  };
}
