/**
 * A small argument parser for the command-line scripts: `--flag value`, `--switch`, positionals.
 */
export interface ParsedArgs {
  flags: Map<string, string | true>;
  positionals: string[];
}

/**
 * @param switches flags that take no value
 * @example parseArgs(['--top', '3', '--json', 'q'], ['json']) // flags top=3, json=true; positionals ['q']
 */
export function parseArgs(argv: string[], switches: string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
      if (switches.includes(name)) flags.set(name, true);
      else if (inline !== undefined) flags.set(name, inline);
      else if (i + 1 < argv.length) flags.set(name, argv[++i]);
      else throw new Error(`--${name} needs a value`);
    } else positionals.push(a);
  }
  return { flags, positionals };
}
