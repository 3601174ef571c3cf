import { CompressThread } from './dist/backup/compress-thread.js';
import { randomBytes } from 'node:crypto';
const mb = () => (process.memoryUsage().rss / 1048576).toFixed(0);
console.log('start', mb());
const t = new CompressThread(20);
await t.compress(Buffer.from('x'), { algorithm: 'GZIP', level: 6 });
console.log('worker started', mb());
for (let i = 0; i < 5000; i += 200) { const cs = []; for (let j = i; j < i + 200; j++) cs.push(j % 2 ? randomBytes(1024 + (j * 7 % 15000)) : Buffer.from('text '.repeat(200 + (j * 7 % 3000)))); await Promise.all(cs.map((c) => t.compress(c, { algorithm: process.argv[2] ?? 'GZIP', level: 6 }))); }
console.log('after 5000 chunks', mb());
for (const l of (await import('node:fs')).readFileSync('/proc/self/status', 'utf8').split('\n')) if (l.startsWith('VmHWM')) console.log(l);
await t.close();
console.log('closed');
