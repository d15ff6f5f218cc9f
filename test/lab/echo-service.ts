/** The lab's gRPC service, defined in code: one unary method that echoes raw bytes. */
import type { ServiceDefinition } from '@grpc/grpc-js';

const bytes = (buffer: Buffer): Buffer => buffer;

export const echoService: ServiceDefinition = {
  Echo: {
    path: '/lab.Echo/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: bytes,
    requestDeserialize: bytes,
    responseSerialize: bytes,
    responseDeserialize: bytes,
  },
};
