/**
 * The lab's servers, run in the server namespace: plain TCP and TLS echo, HTTP/1.1, h2c, gRPC and
 * WebSocket. None of them closes or probes an idle connection by itself (HTTP/1.1 keepAliveTimeout
 * is turned off, as on a server with a long keep-alive), so what happens to an idle connection is up
 * to the client and the NAT. Prints one line `{"ready":true}` once all listen; runs until killed.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { WebSocketServer } from 'ws';
import { echoService } from './echo-service.ts';
import { PORTS } from './lab.ts';

const certDir = process.env['LAB_CERT_DIR'];
if (!certDir) throw new Error('LAB_CERT_DIR is not set');

const echo = (socket: net.Socket): void => {
  socket.on('data', (data) => socket.write(data));
  socket.on('error', () => socket.destroy());
};

function listening(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
}

const plain = net.createServer(echo);
const secure = tls.createServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, echo);
secure.on('tlsClientError', () => undefined);

const web = http.createServer((_req, res) => res.end('ok'));
web.keepAliveTimeout = 0; // no idle close, and no Keep-Alive: timeout hint for undici

const h2 = http2.createServer();
h2.on('stream', (stream) => {
  stream.on('error', () => undefined);
  stream.respond({ ':status': 200 });
  stream.end('ok');
});
h2.on('sessionError', () => undefined);

const wss = new WebSocketServer({ port: PORTS.ws, host: '0.0.0.0' });
wss.on('connection', (socket) => {
  socket.on('message', (data) => socket.send(data));
  socket.on('error', () => undefined);
});
const wsReady = new Promise<void>((resolve, reject) => {
  wss.once('listening', () => resolve());
  wss.once('error', reject);
});

const rpc = new grpc.Server();
rpc.addService(echoService, {
  Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => callback(null, call.request),
});
const rpcReady = new Promise<void>((resolve, reject) => {
  rpc.bindAsync(`0.0.0.0:${PORTS.grpc}`, grpc.ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve()));
});

await Promise.all([listening(plain, PORTS.echo), listening(secure, PORTS.tls), listening(web, PORTS.http), listening(h2, PORTS.h2), wsReady, rpcReady]);
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
