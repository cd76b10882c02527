/**
 * The layout rules, checked on the imports of every source file (tests excluded): no two top-level folders import
 * each other, the engine imports nothing outside itself but the shared modules that import nothing (`SHARED`),
 * Discord code sees only the engine's types, commands never import the bot's runtime and of another command only its
 * definition (plain data), and only the bot's `respond` helper calls discord.js' reply methods. And no file over 350
 * lines: sources, tests and training scripts (TypeScript and Python).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

function sourceFiles(dir: string, withTests = false): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = `${dir}/${d.name}`;
    if (d.isDirectory()) return sourceFiles(rel, withTests);
    return d.name.endsWith('.ts') && (withTests || !d.name.endsWith('.test.ts')) ? [rel] : [];
  });
}

/** Imports of a file that exist at run time (type-only ones are erased), and its type-only imports. */
function importsOf(file: string): { runtime: string[]; typeOnly: string[] } {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const runtime: string[] = [];
  const typeOnly: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const onlyTypes =
        (ts.isExportDeclaration(node) && node.isTypeOnly) ||
        clause?.isTypeOnly === true ||
        (clause !== undefined && !clause.name && named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly));
      (onlyTypes ? typeOnly : runtime).push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) {
      runtime.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { runtime, typeOnly };
}

/** A relative import as a project file path, or null for a package. */
function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.join(path.posix.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (candidate.endsWith('.ts') && (FILES.includes(candidate) || TEST_HELPERS.includes(candidate))) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

/** The unit a file belongs to for these rules: `commands`, `src/bot`, `src/engine`, …; a file directly in `src/` is its own. */
function folderOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'src' ? parts.slice(0, 2).join('/') : parts[0];
}

const FILES = ['src', 'commands', 'bench', 'scripts', 'docs'].flatMap((dir) => sourceFiles(dir));
/** The end-to-end tests' helpers (the fake Discord): not checked themselves, but a benchmark may drive the bot with them. */
const TEST_HELPERS = sourceFiles('test');
const IMPORTS = new Map(FILES.map((f) => [f, importsOf(f)]));
/**
 * Modules of neither side that both the engine and Discord code use: one concept with one name (the fold matching
 * typed words, `folded`), where a copy on each side would drift. Each imports nothing, so neither side learns of
 * the other through it.
 */
const SHARED = ['src/folded.ts'];
const edges = (kinds: Array<'runtime' | 'typeOnly'>) =>
  FILES.flatMap((from) => kinds.flatMap((k) => IMPORTS.get(from)![k].map((spec) => ({ from, spec, to: resolveImport(from, spec) }))));

describe('the layout', () => {
  it('has no two top-level folders importing each other (types included)', () => {
    const pairs = new Set(edges(['runtime', 'typeOnly']).flatMap((e) => (e.to && folderOf(e.to) !== folderOf(e.from) ? [`${folderOf(e.from)} -> ${folderOf(e.to)}`] : [])));
    const loops = [...pairs].filter((p) => pairs.has(p.split(' -> ').reverse().join(' -> ')));
    expect(loops).toEqual([]);
    expect(pairs.has('commands -> src/bot')).toBe(false);
    expect(pairs.has('src/bot -> commands')).toBe(true); // the bot runs the commands, not the other way round
  });

  it('keeps the engine to itself, and Discord code to the engine types', () => {
    const all = edges(['runtime', 'typeOnly']);
    const outside = (e: { to: string | null }, unit: string) => e.to !== null && folderOf(e.to) !== unit && !SHARED.includes(e.to);
    expect(all.filter((e) => folderOf(e.from) === 'src/engine' && outside(e, 'src/engine'))).toEqual([]);
    const discordSide = all.filter((e) => ['commands', 'src/bot', 'src/discord'].includes(folderOf(e.from)));
    expect(discordSide.filter((e) => e.to?.startsWith('src/engine/') && e.to !== 'src/engine/types.ts')).toEqual([]);
    expect(discordSide.filter((e) => /^(flexsearch|onnxruntime|@huggingface)/.test(e.spec))).toEqual([]);
    expect(all.filter((e) => folderOf(e.from) === 'src/discord' && outside(e, 'src/discord'))).toEqual([]);
    // The terminal is the other front: what both tell alike (durations, visible text) lives in a neutral module.
    expect(all.filter((e) => folderOf(e.from) === 'src/cli' && e.to && ['commands', 'src/bot', 'src/discord'].includes(folderOf(e.to)))).toEqual([]);
  });

  it('lets the engine and Discord code share only modules that import nothing', () => {
    for (const f of SHARED) expect([...IMPORTS.get(f)!.runtime, ...IMPORTS.get(f)!.typeOnly], f).toEqual([]);
    // The list names what is really shared, each module by both sides (one only the engine uses belongs in it).
    const usedBy = (units: string[], f: string) => edges(['runtime']).some((e) => units.includes(folderOf(e.from)) && e.to === f);
    expect(SHARED.filter((f) => !usedBy(['src/engine'], f) || !usedBy(['commands', 'src/bot', 'src/discord'], f))).toEqual([]);
  });

  it("orders the engine's folders one way: no import loop among them, of any length (types included)", () => {
    // A file in a folder of src/engine belongs to it; a file directly in src/engine (index, types, engine, answer) is its own.
    const unitOf = (f: string) => f.split('/').slice(0, 3).join('/');
    const next = new Map<string, Set<string>>();
    for (const e of edges(['runtime', 'typeOnly'])) {
      if (!e.to?.startsWith('src/engine/') || !e.from.startsWith('src/engine/') || unitOf(e.from) === unitOf(e.to)) continue;
      next.set(unitOf(e.from), new Set([...(next.get(unitOf(e.from)) ?? []), unitOf(e.to)]));
    }
    const loops: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (unit: string, trail: string[]) => {
      if (state.get(unit) === 'open') loops.push([...trail.slice(trail.indexOf(unit)), unit].join(' -> '));
      if (state.has(unit)) return;
      state.set(unit, 'open');
      for (const to of next.get(unit) ?? []) visit(to, [...trail, unit]);
      state.set(unit, 'done');
    };
    for (const unit of next.keys()) visit(unit, []);
    expect(loops).toEqual([]);
    expect([...next.keys()].filter((u) => !u.endsWith('.ts')).length).toBeGreaterThanOrEqual(5); // the folders exist
  });

  it('lets only benchmarks use the test helpers', () => {
    const users = edges(['runtime', 'typeOnly']).filter((e) => e.to && folderOf(e.to) === 'test');
    expect(users.filter((e) => folderOf(e.from) !== 'bench')).toEqual([]);
  });

  it('gives command definitions nothing to import but Discord API types', () => {
    const definitions = FILES.filter((f) => /^commands\/[^/]+\/definition\.ts$/.test(f));
    expect(definitions.length).toBeGreaterThanOrEqual(4);
    for (const f of definitions) {
      const { runtime, typeOnly } = IMPORTS.get(f)!;
      expect([...runtime, ...typeOnly].filter((s) => s !== 'discord.js'), f).toEqual([]);
    }
  });

  it("has a command import of another only its definition: what several tell lives in commands/wording.ts", () => {
    // /ask took its empty-index text from /sources' render, /sources and /about theirs of the last reload from
    // /reload's. A command takes of another only its definition (plain data: /article's find limits are /sources'):
    // checking index and render alone let /ask's context button or cooldowns through. The shared modules
    // (commands/*.ts) import no command's index or render; the bot's state does hold /ask's cooldowns and quotes.
    const commandOf = (f: string) => /^commands\/([^/]+)\//.exec(f)?.[1];
    const crossing = edges(['runtime', 'typeOnly']).filter((e) => {
      const [from, to] = [commandOf(e.from), e.to && commandOf(e.to)];
      if (!e.from.startsWith('commands/') || !to || from === to) return false;
      return from ? !e.to!.endsWith('/definition.ts') : /\/(index|render)\.ts$/.test(e.to!);
    });
    expect(crossing.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('loads no engine module at run time from the deployment entry and the definitions', () => {
    const runtime = edges(['runtime']);
    const seen = new Set<string>();
    const queue = ['src/bot/deploy-commands.ts', ...FILES.filter((f) => /^commands\/[^/]+\/definition\.ts$/.test(f))];
    const packages = new Set<string>();
    while (queue.length) {
      const f = queue.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const e of runtime.filter((x) => x.from === f)) e.to ? queue.push(e.to) : packages.add(e.spec);
    }
    expect([...seen].filter((f) => f.startsWith('src/engine/') || /^commands\/[^/]+\/(index|render)\.ts$/.test(f))).toEqual([]);
    expect([...packages].sort()).toEqual(['discord.js', 'dotenv', 'node:fs', 'node:path', 'node:url', 'node:util']);
  });

  it('sends every message through the one respond helper', () => {
    const callers = FILES.filter((f) => f !== 'src/bot/respond.ts' && /\.(deferReply|editReply|followUp|deleteReply)\(|interaction\.reply\(/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(callers).toEqual([]);
    // A reply handed over to the bot's own message (a long reload's report) is posted by respond's handover only.
    const posters = FILES.filter((f) => /Routes\.(channelMessages?|userChannels)\(|\.createDM\(|\b(channel|user|users|member|members|webhook)\??\.send\(/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(posters).toEqual(['src/bot/handover.ts']);
  });

  it('keeps every source and test file under 350 lines, the training scripts too', () => {
    const python = readdirSync(path.join(ROOT, 'training')).filter((f) => f.endsWith('.py')).map((f) => `training/${f}`);
    expect(python.length).toBeGreaterThan(0);
    const all = [...['src', 'commands', 'bench', 'scripts', 'docs', 'test', 'training'].flatMap((dir) => sourceFiles(dir, true)), ...python];
    expect(all.length).toBeGreaterThan(FILES.length);
    const long = all.map((f) => [f, readFileSync(path.join(ROOT, f), 'utf8').split('\n').length] as const).filter(([, n]) => n > 350);
    expect(long).toEqual([]);
  });
});
