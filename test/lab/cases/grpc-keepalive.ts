/** A @grpc/grpc-js service client that pings every 30 s, also between calls. */
import * as grpc from '@grpc/grpc-js';
import { echoService } from '../echo-service.ts';
import { lab } from '../harness.ts';

const Echo = grpc.makeGenericClientConstructor(echoService, 'Echo');
const client = new Echo('198.51.100.10:8083', grpc.credentials.createInsecure(), {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_permit_without_calls': 1,
});

function call(): Promise<void> {
  const { path, requestSerialize, responseDeserialize } = echoService['Echo']!;
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(path, requestSerialize, responseDeserialize, Buffer.from('ping'), (error) => (error ? reject(error) : resolve()));
  });
}

await lab(call);
