/**
 * A free loopback port, for programs that cannot listen on port 0 and say which port
 * they got (the bench's Bacula daemons). Burrow's own daemons take port 0 in their
 * configurations and the harness reads the port back (processes.ts untilListening):
 * use that, as a port found free here may be taken by another test run before the
 * program binds it (EADDRINUSE).
 */
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
