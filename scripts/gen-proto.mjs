// Generates the static protobuf code for packages/common/src/proto/burrow.proto.
// The generated .js/.d.ts are build products (git-ignored); they are written next to
// the sources, for the type checker, and into dist, for node, because tsc does not
// copy plain .js files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
  // 64-bit fields must decode as plain numbers, as --force-number types them, even when
  // the `long` package is installed (protobufjs then returns Long objects). Every
  // value Burrow keeps in them (sizes, ids, seconds) fits a double exactly.
  const code = readFileSync(outJs, 'utf8').replace(
    'import $protobuf from "protobufjs/minimal.js";',
    'import $protobuf from "protobufjs/minimal.js";\n$protobuf.util.Long = undefined;\n$protobuf.configure();',
  );
  if (!code.includes('$protobuf.configure();')) throw new Error('gen-proto: could not patch the generated code');
  writeFileSync(outJs, code);
}
const dist = join(common, 'dist', 'proto');
mkdirSync(dist, { recursive: true });
copyFileSync(outJs, join(dist, 'generated.js'));
copyFileSync(outDts, join(dist, 'generated.d.ts'));
