/**
 * Finds, with the TypeScript compiler, which configuration directives some code reads.
 *
 * How "reads" is decided: every resource schema (`defineResource({ fields: {...} })`)
 * declares each directive as a property of its `fields` object. A loaded resource's
 * type is derived from that object by mapped types (zod's output, `Frozen`), and the
 * compiler links each property of such a type back to the property it came from. So
 * a property access in daemon code (`device.labelMedia`, `self['sdPort']`, `res[kind]`
 * with `kind` typed as a few of the resource's keys, or a destructuring
 * `const { sdPort } = self`) reads directive D of resource R exactly when
 * the compiler resolves the accessed property to D's declaration in R's `fields`. A
 * property of the same name on some other type (a `name` of a job row, say) resolves
 * elsewhere and does not count. Only code outside `packages/common/src/config/` counts:
 * the loader handles every directive and proves nothing about its use.
 */
import ts from 'typescript';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A source file the program should hold beside the repository's (for the planted self-test). */
export interface ExtraSource {
  readonly path: string;
  readonly text: string;
}

export interface ReadIndex {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /**
   * The declarations read anywhere under `dirs` (absolute directory prefixes), except
   * the configuration loader and tests.
   */
  readsUnder(dirs: readonly string[]): ReadonlySet<ts.Node>;
  /** The declarations of directive `field` of the spec exported as `exportName` from `modulePath`. */
  fieldDeclarations(modulePath: string, exportName: string, field: string): readonly ts.Node[];
}

function sourcesUnder(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourcesUnder(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** The property symbols a node reads, if it is a read of a property. */
function propertySymbols(node: ts.Node, checker: ts.TypeChecker): ts.Symbol[] {
  if (ts.isPropertyAccessExpression(node)) return [checker.getSymbolAtLocation(node.name)].filter((s): s is ts.Symbol => !!s);
  if (ts.isElementAccessExpression(node)) {
    const object = checker.getTypeAtLocation(node.expression);
    if (ts.isStringLiteralLike(node.argumentExpression)) {
      const prop = object.getProperty(node.argumentExpression.text);
      return prop ? [prop] : [];
    }
    // `res[kind]` with `kind: 'jobAcl' | 'clientAcl'` reads those properties; a key typed as
    // every property of the object (`keyof JobResource`) names none in particular.
    const key = checker.getTypeAtLocation(node.argumentExpression);
    const literals = (key.isUnion() ? key.types : [key]).filter((t): t is ts.StringLiteralType => t.isStringLiteral());
    if (literals.length === 0 || literals.length >= object.getProperties().length) return [];
    return literals.map((l) => object.getProperty(l.value)).filter((p): p is ts.Symbol => !!p);
  }
  if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
    const key = node.propertyName ?? node.name;
    if (!ts.isIdentifier(key) && !ts.isStringLiteralLike(key)) return [];
    const prop = checker.getTypeAtLocation(node.parent).getProperty(key.text);
    return prop ? [prop] : [];
  }
  return [];
}

/**
 * Builds one program over the packages' sources. `@burrow/common/*` is mapped to its
 * sources, so every package sees the one declaration of each field.
 */
export function indexReads(repo: string, packages: readonly string[], extra: readonly ExtraSource[] = []): ReadIndex {
  const files = packages.flatMap((p) => sourcesUnder(join(repo, 'packages', p, 'src'), []));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true, types: ['node'], typeRoots: [join(repo, 'node_modules', '@types')],
    baseUrl: repo,
    paths: { '@burrow/common/*': ['packages/common/src/*.ts'], '@burrow/fsx': ['packages/fsx/src/index.ts'], '@burrow/fsx/*': ['packages/fsx/src/*.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const byPath = new Map(extra.map((e) => [e.path, e.text]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) => {
    const text = byPath.get(name);
    return text === undefined ? getSourceFile(name, lang, onError, create) : ts.createSourceFile(name, text, lang);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => byPath.has(name) || fileExists(name);
  const program = ts.createProgram([...files, ...byPath.keys()], options, host);
  const checker = program.getTypeChecker();
  const configDir = join(repo, 'packages', 'common', 'src', 'config') + '/';

  // Per source file, the declarations its property reads resolve to.
  const perFile = new Map<string, Set<ts.Node>>();
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.startsWith(configDir) || sf.fileName.includes('/node_modules/')) continue;
    const found = new Set<ts.Node>();
    const visit = (node: ts.Node): void => {
      for (const sym of propertySymbols(node, checker)) for (const d of sym.declarations ?? []) found.add(d);
      ts.forEachChild(node, visit);
    };
    visit(sf);
    perFile.set(sf.fileName, found);
  }

  return {
    program,
    checker,
    readsUnder(dirs) {
      const out = new Set<ts.Node>();
      for (const [file, decls] of perFile) {
        if (dirs.some((d) => file.startsWith(d.endsWith('/') ? d : `${d}/`))) for (const n of decls) out.add(n);
      }
      return out;
    },
    fieldDeclarations(modulePath, exportName, field) {
      const sf = program.getSourceFile(modulePath);
      const mod = sf && checker.getSymbolAtLocation(sf);
      const spec = mod && checker.getExportsOfModule(mod).find((s) => s.name === exportName);
      if (!spec) throw new Error(`${relative(repo, modulePath)} exports no ${exportName}`);
      const fields = checker.getTypeOfSymbol(spec).getProperty('fields');
      const prop = fields && checker.getTypeOfSymbol(fields).getProperty(field);
      return prop?.declarations ?? [];
    },
  };
}
