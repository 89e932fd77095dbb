// Connections are counted per peer before any byte is read: a machine the
// allowlist refuses may hold only a few (enough to be told 403), and any one
// machine only its share, so nobody can take every connection slot
// (MAX_CONNECTIONS) from the others. Loopback is the service's own machine.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ipToBigint, isLoopback, type Cidr } from '@clawdforge/shared';
import { isPeerAllowed, normalizePeer } from '../auth/peer-access.js';

/** Connections one allowed machine may hold at once. */
export const MAX_CONNECTIONS_PER_PEER = 128;
/** Connections one refused machine may hold, and all refused machines together. */
export const MAX_REFUSED_PER_PEER = 4;
export const MAX_REFUSED_TOTAL = 64;

/** An IPv6 peer counts by its /64 (one host can use a whole /64); IPv4 by its address. */
export function peerKey(peer: string): string {
  if (!peer.includes(':')) return peer;
  const value = ipToBigint(peer);
  return value === null ? peer : `${(value >> 64n).toString(16)}::/64`;
}

// A socket's peer, and whether the allowlist lets it in, do not change between its requests.
const socketPeers = new WeakMap<Socket, { peer: string; allowed: boolean }>();

/** The socket's peer (from the socket, never a header) and the allowlist's verdict, worked out once per connection. */
export function socketPeer(socket: Socket, allowCidrs: readonly Cidr[]): { peer: string; allowed: boolean } {
  let known = socketPeers.get(socket);
  if (!known) {
    const peer = normalizePeer(socket.remoteAddress);
    known = { peer, allowed: isPeerAllowed(peer, allowCidrs) };
    socketPeers.set(socket, known);
  }
  return known;
}

export function guardConnections(server: Server, allowCidrs: readonly Cidr[]): void {
  const open = new Map<string, number>();
  let refusedOpen = 0;
  server.on('connection', (socket: Socket) => {
    const { peer, allowed } = socketPeer(socket, allowCidrs);
    if (isLoopback(peer)) return;
    const key = peerKey(peer);
    const count = open.get(key) ?? 0;
    if (count >= (allowed ? MAX_CONNECTIONS_PER_PEER : MAX_REFUSED_PER_PEER) || (!allowed && refusedOpen >= MAX_REFUSED_TOTAL)) {
      socket.destroy();
      return;
    }
    open.set(key, count + 1);
    if (!allowed) refusedOpen += 1;
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
      if (!allowed) refusedOpen -= 1;
    });
  });
}
