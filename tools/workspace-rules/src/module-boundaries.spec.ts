import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function imports(project: string): Array<{ file: string; target: string }> {
  return sourceFiles(join(ROOT, project)).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => ({ file: relative(ROOT, file), target: m[1] })));
}

const projects = (kind: 'apps' | 'libs') => readdirSync(join(ROOT, kind)).map((name) => `${kind}/${name}`);

describe('module boundaries', () => {
  it('no app imports another app', () => {
    for (const app of projects('apps')) {
      const offending = imports(app).filter(({ file, target }) => {
        if (!target.startsWith('.')) return /^@yardstick\/(gateway|orchestrator|llm-caller|scorer|webhook-dispatcher)$/.test(target);
        const resolved = resolve(ROOT, file, '..', target);
        if (resolved.startsWith(join(ROOT, app))) return false;
        // Tests may use the simulator's and the benchmarks' fixtures; nothing may reach into another app.
        return !file.includes('/test/') || resolved.startsWith(join(ROOT, 'apps'));
      });
      expect(offending).toEqual([]);
    }
  });

  it('libs/contracts imports nothing internal, and no lib imports an app', () => {
    expect(imports('libs/contracts').filter(({ target }) => target.startsWith('@yardstick/'))).toEqual([]);
    for (const lib of projects('libs')) {
      expect(imports(lib).filter(({ target }) => target.includes('apps/') || /^@yardstick\/(gateway|orchestrator|llm-caller|scorer|webhook-dispatcher)$/.test(target))).toEqual([]);
    }
  });

  it('services reach each other only through the bus: no app imports another app\'s entities or persistence', () => {
    const entityImports = projects('apps').flatMap((app) =>
      imports(app).filter(({ target }) => /apps\/[^/]+\/src/.test(target) && !target.includes(app)));
    expect(entityImports).toEqual([]);
  });
});
