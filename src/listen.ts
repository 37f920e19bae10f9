import type { Server } from 'node:http';
import { ConfigError } from './errors';

/** Listens, turning "port in use" into a clear user error that names the option to change. */
export function listen(server: Server, host: string, port: number, option: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new ConfigError(
            `Port ${port} on ${host} is already in use: choose another with ${option}`,
            'EMULATE_PORT_IN_USE',
          ),
        );
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(
          new ConfigError(`Cannot listen on ${host}: no such local address (--host)`, 'EMULATE_BAD_HOST'),
        );
      } else {
        reject(error);
      }
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
