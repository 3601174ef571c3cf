import { Worker } from 'node:worker_threads';
const src = process.argv[2];
const w = new Worker(src, { eval: true });
await new Promise((r) => setTimeout(r, 300));
await w.terminate();
console.log('terminated ok');
