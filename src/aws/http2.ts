import type { Server } from 'node:http';
import { createServer, type Http2Session } from 'node:http2';
import type { Socket } from 'node:net';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

/**
 * Serves HTTP/2 with prior knowledge (h2c) on an HTTP/1.1 server's port, through the same 'request'
 * listeners: some AWS SDK v3 clients (Kinesis) speak only HTTP/2, also to a plain-http endpoint. A
 * connection's first bytes tell its protocol. Returns what closes the connections the HTTP/1.1 server
 * does not know.
 */
export function acceptHttp2(server: Server): () => void {
  const http2 = createServer();
  const sessions = new Set<Http2Session>();
  http2.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  http2.on('request', (req, res) => server.emit('request', req, res));
  // Connections that have not sent a byte yet: neither server knows them, so neither would close them.
  const silent = new Set<Socket>();
  const http1 = server.listeners('connection');
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    silent.add(socket);
    socket.once('close', () => silent.delete(socket));
    socket.once('data', (chunk: Buffer) => {
      silent.delete(socket);
      socket.pause();
      socket.unshift(chunk);
      if (chunk.subarray(0, PREFACE.length).equals(PREFACE)) http2.emit('connection', socket);
      else for (const listener of http1) listener.call(server, socket);
      process.nextTick(() => socket.resume());
    });
  });
  return () => {
    for (const session of sessions) session.destroy();
    for (const socket of silent) socket.destroy();
  };
}
