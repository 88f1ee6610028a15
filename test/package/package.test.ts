// The npm package as a user gets it: what `npm pack` puts in the tarball, an install of that tarball
// with no registry reachable, the installed `geo-permissions` bin, the bundled packages' license
// notices, and one Node version said everywhere.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  engines: { node: string };
  dependencies?: Record<string, string>;
};
const work = mkdtempSync(path.join(tmpdir(), 'geo-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * npm with none of the calling npm's settings (vitest may run under `npm test`), its own empty cache,
 * and a registry nothing listens on: anything that needs the network fails.
 */
function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
  return spawnSync(
    'npm',
    [...args, '--cache', path.join(work, 'cache'), '--registry', 'http://127.0.0.1:9/'],
    {
      cwd,
      env: {
        ...env,
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
      },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
}

describe('npm pack', () => {
  let files: string[] = [];
  let tarball = '';
  beforeAll(() => {
    const packed = npm(['pack', '--json', '--pack-destination', work], ROOT);
    expect(packed.status, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    files = info?.files.map((f) => f.path) ?? [];
    tarball = path.join(work, info?.filename ?? '');
  }, 120_000);

  it('holds the bundle, its notices, the schema, the example policy and the license; no sources', () => {
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/cli.js',
      'dist/index.js',
      'dist/THIRD-PARTY-NOTICES.txt',
      'schema/policy.schema.json',
      'examples/geo-permissions.yml',
    ])
      expect(files).toContain(file);
    expect(files.some((f) => f.startsWith('dist/chunks/'))).toBe(true);
    expect(files.filter((f) => /^(src|test|scripts|bench|node_modules|\.github|\.ci)\//.test(f))).toEqual([]);
  });

  it('declares no runtime dependency: everything it runs is in dist/', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.name).toBe('twilio-geo-permissions');
    expect(manifest.bin).toEqual({ 'geo-permissions': 'dist/cli.js' });
  });

  describe('installed offline into an empty project', () => {
    const app = path.join(work, 'app');
    const bin = path.join(app, 'node_modules', '.bin', 'geo-permissions');
    // The bin's shebang is `/usr/bin/env node`: the Node running this test (24) comes first on PATH.
    const run = (args: string[]) =>
      spawnSync(bin, args, {
        cwd: app,
        env: {
          ...process.env,
          PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
          NO_COLOR: '1',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });

    beforeAll(() => {
      spawnSync('mkdir', ['-p', app]);
      writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
      const installed = npm(['install', '--offline', '--no-audit', '--no-fund', tarball], app);
      expect(installed.status, installed.stderr).toBe(0);
    }, 120_000);

    it('links the geo-permissions bin and installs nothing beside the package', () => {
      expect(existsSync(bin)).toBe(true);
      const lock = JSON.parse(readFileSync(path.join(app, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, unknown>;
      };
      expect(Object.keys(lock.packages).sort()).toEqual(['', 'node_modules/twilio-geo-permissions']);
    });

    it('prints its help', () => {
      const help = run(['--help']);
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toContain('Usage: geo-permissions <command>');
    });

    it('prints the version of the package installed', () => {
      const version = run(['--version']);
      expect(version.status, version.stderr).toBe(0);
      const { version: packed } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        version: string;
      };
      expect(version.stdout.trim()).toBe(`geo-permissions ${packed}`);
    });

    it('validates a policy', () => {
      writeFileSync(
        path.join(app, 'geo-permissions.yml'),
        readFileSync(path.join(ROOT, 'examples/geo-permissions.yml'), 'utf8'),
      );
      const validated = run(['validate']);
      expect(validated.status, validated.stderr + validated.stdout).toBe(0);
    });

    it('plans the demo fleet on its embedded emulator (the Twilio SDK comes from dist/ alone)', () => {
      const planned = run(['plan', '--demo']);
      expect(planned.status, planned.stderr).toBe(0);
      expect(planned.stdout).toMatch(/^Plan: opens 3 cells/m);
      expect(planned.stdout).toContain('Fingerprint: ');
    });
  });
});

describe('third-party notices', () => {
  it('name every package the bundle holds, each with its license text', () => {
    const out = path.join(work, 'built');
    const meta = path.join(work, 'meta.json');
    const built = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', out, '--metafile', meta], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
    const inputs = Object.keys((JSON.parse(readFileSync(meta, 'utf8')) as { inputs: object }).inputs);
    const dirs = new Set(
      inputs.flatMap((input) => /^(.*node_modules\/(@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []),
    );
    // twilio, zod, yaml, Octokit, the toolkit and their dependencies: far more than a handful.
    expect(dirs.size).toBeGreaterThan(30);
    const notices = readFileSync(path.join(out, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    const blocks = notices.split(/^={78}$/m);
    for (const dir of dirs) {
      const pkg = JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
      };
      const at = blocks.findIndex((b) => b.trim().startsWith(`${pkg.name} ${pkg.version} (`));
      expect(at, `${pkg.name}@${pkg.version} (${dir}) is missing from the notices`).toBeGreaterThan(0);
      // The block after the heading is the license text: a copyright line or a license's wording.
      expect(blocks[at + 1], `${pkg.name}@${pkg.version}`).toMatch(/copyright|permission|licen[cs]e/i);
    }
  });
});

describe('one Node version', () => {
  it('engines, .node-version, action.yml and the README agree', () => {
    const major = /^>=(\d+)$/.exec(manifest.engines.node)?.[1];
    expect(major).toBeDefined();
    expect(readFileSync(path.join(ROOT, '.node-version'), 'utf8').trim().split('.')[0]).toBe(major);
    const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string } };
    expect(action.runs.using).toBe(`node${major}`);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`npm install --global ${manifest.name}`);
    expect(readme).toContain(`Node ${major} or newer`);
    // No other minimum is claimed for running the tool.
    for (const [, claimed] of readme.matchAll(/Node (\d+) or newer/g)) expect(claimed).toBe(major);
  });
});
