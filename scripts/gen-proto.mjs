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

// Regenerated when the .proto or this script (its patches) changed since the last run.
const fresh = existsSync(outDts)
  && statSync(outDts).mtimeMs >= Math.max(statSync(proto).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);
if (!fresh) {
  execFileSync(join(bin, 'pbjs'), ['-t', 'static-module', '-w', 'es6', '--force-number',
    '--no-delimited', '-o', outJs, proto], { stdio: 'inherit' });
  execFileSync(join(bin, 'pbts'), ['-o', outDts, outJs], { stdio: 'inherit' });
  writeFileSync(outDts, typeDecodedMessages(readFileSync(outDts, 'utf8')));
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

/**
 * The generated classes are what `decode` returns, and Burrow types every received
 * message as its class (`packages/common/src/proto/index.ts`): scalars are never
 * missing, the decoder fills proto3 defaults. pbts declares a class's message fields as
 * the optional property interface (`mtime?: (burrow.Timestamp.$Properties|null)`,
 * `scripts: burrow.ClientScript.$Properties[]`), but decode fills them with class
 * instances, or leaves the prototype's `null` when absent. This retypes those fields,
 * inside class bodies only, as what decode gives: `mtime: (burrow.Timestamp|null)`,
 * `scripts: burrow.ClientScript[]`. The property interfaces, which senders use, stay
 * as they are.
 */
function typeDecodedMessages(dts) {
  let inClass = false;
  let patched = 0;
  const lines = dts.split('\n').map((line) => {
    if (/^ {4}class \w+ \{$/.test(line)) inClass = true;
    else if (line === '    }') inClass = false;
    if (!inClass) return line;
    const out = line
      .replace(/^( {8}\w+)\??: \((burrow\.[\w.]+)\.\$Properties\|null\);$/, '$1: ($2|null);')
      .replace(/^( {8}\w+): (burrow\.[\w.]+)\.\$Properties\[\];$/, '$1: $2[];');
    if (out !== line) patched++;
    return out;
  });
  if (patched === 0) throw new Error('gen-proto: found no message fields to retype in the generated classes');
  return lines.join('\n');
}
