// Generates the static protobuf code for packages/common/src/proto/burrow.proto.
// The generated .js/.d.ts are build products (git-ignored); they are written next to
// the sources, for the type checker, and into dist, for node, because tsc does not
// copy plain .js files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const common = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'common');
const bin = join(common, 'node_modules', '.bin');
const proto = join(common, 'src', 'proto', 'burrow.proto');
const outJs = join(common, 'src', 'proto', 'generated.js');
const outDts = join(common, 'src', 'proto', 'generated.d.ts');

const fresh = existsSync(outDts) && statSync(outDts).mtimeMs >= statSync(proto).mtimeMs;
if (!fresh) {
  execFileSync(join(bin, 'pbjs'), ['-t', 'static-module', '-w', 'es6', '--force-number',
    '--no-delimited', '-o', outJs, proto], { stdio: 'inherit' });
  execFileSync(join(bin, 'pbts'), ['-o', outDts, outJs], { stdio: 'inherit' });
}
const dist = join(common, 'dist', 'proto');
mkdirSync(dist, { recursive: true });
copyFileSync(outJs, join(dist, 'generated.js'));
copyFileSync(outDts, join(dist, 'generated.d.ts'));
