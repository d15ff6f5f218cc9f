/** A @grpc/grpc-js service client with no keepalive options: no pings, idle close only after 30 min. */
import * as grpc from '@grpc/grpc-js';
import { echoService } from '../echo-service.ts';
import { lab } from '../harness.ts';

const Echo = grpc.makeGenericClientConstructor(echoService, 'Echo');
const client = new Echo('198.51.100.10:8083', grpc.credentials.createInsecure());

function call(): Promise<void> {
  const { path, requestSerialize, responseDeserialize } = echoService['Echo']!;
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(path, requestSerialize, responseDeserialize, Buffer.from('ping'), (error) => (error ? reject(error) : resolve()));
  });
}

await lab(call);
