// A project is known across machines by its git remote, read from the repository's config file at the
// session's working directory; without one, by its folder's name.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRemoteOf, normaliseRemote, remoteUrlOfConfig, teamProjectKey } from '../../src/capture/git-remote.js';
import { projectIdOfCwd } from '../../src/capture/project.js';
import { tempDir } from '../../harness/drivers/temp-dir.js';
import { checkout, twoCheckouts } from './checkouts.js';

describe('normalising a git remote', () => {
  it('spells ssh, scp-like and https forms of one remote the same, without user, password, port or .git', () => {
    const forms = [
      'git@github.com:acme/shop.git',
      'ssh://git@github.com/acme/shop.git',
      'ssh://git@GitHub.com:22/acme/shop',
      'https://github.com/acme/shop',
      'https://ana:s3cret@github.com/acme/shop.git/',
      'git://github.com/acme/shop.git',
    ];
    expect(new Set(forms.map(normaliseRemote))).toEqual(new Set(['github.com/acme/shop']));
  });

  it('keeps the path case and tells different repositories apart', () => {
    expect(normaliseRemote('git@gitlab.com:Acme/Shop.git')).toBe('gitlab.com/Acme/Shop');
    expect(normaliseRemote('git@github.com:acme/shop-api.git')).not.toBe(normaliseRemote('git@github.com:acme/shop.git'));
  });

  it('is undefined for what is not a remote on another host: a local path, a drive letter, an empty string', () => {
    expect(normaliseRemote('/srv/git/shop.git')).toBeUndefined();
    expect(normaliseRemote('C:\\repos\\shop')).toBeUndefined();
    expect(normaliseRemote('')).toBeUndefined();
  });
});

describe('reading the remote of a working directory', () => {
  it('takes origin before other remotes', () => {
    const text = '[remote "upstream"]\n\turl = git@github.com:other/shop.git\n[remote "origin"]\n\turl = git@github.com:acme/shop.git\n';
    expect(remoteUrlOfConfig(text)).toBe('git@github.com:acme/shop.git');
  });

  it('finds the repository from a folder inside it, and from a worktree whose .git is a file', () => {
    const root = tempDir('kx-remote-');
    const main = checkout(root, 'shop', 'git@github.com:acme/shop.git');
    fs.mkdirSync(path.join(main, 'src', 'deep'), { recursive: true });
    expect(gitRemoteOf(path.join(main, 'src', 'deep'))).toBe('github.com/acme/shop');
    const gitDir = path.join(main, '.git', 'worktrees', 'feature');
    fs.mkdirSync(gitDir, { recursive: true });
    fs.writeFileSync(path.join(gitDir, 'commondir'), '../..\n');
    const wt = path.join(root, 'shop-feature');
    fs.mkdirSync(wt);
    fs.writeFileSync(path.join(wt, '.git'), `gitdir: ${gitDir}\n`);
    expect(gitRemoteOf(wt)).toBe('github.com/acme/shop');
  });

  it('falls back to the folder name for a repository with no remote, or no repository', () => {
    const root = tempDir('kx-remote-');
    expect(teamProjectKey(checkout(root, 'notes', undefined))).toBe('folder:notes');
    expect(teamProjectKey(path.join(root, 'nowhere', 'scratch'))).toBe('folder:scratch');
  });

  it('gives two checkouts of one remote at different paths one project id', () => {
    const { a, b } = twoCheckouts();
    expect(a).not.toBe(b);
    expect(projectIdOfCwd(a)).toBe(projectIdOfCwd(b));
    expect(projectIdOfCwd(a)).toMatch(/^shop-[0-9a-f]{6}$/);
  });
});

describe('the local project of a team key', () => {
  it("is this machine's project for a folder of that name when there is no remote, and a new one named by the key otherwise", async () => {
    const Database = (await import('better-sqlite3')).default;
    const { migrate } = await import('../../src/store/schema.js');
    const { localProjectFor } = await import('../../src/team/project-key.js');
    const db = new Database(':memory:');
    migrate(db);
    const root = tempDir('kx-key-');
    const notes = checkout(root, 'notes', undefined);
    db.prepare(`INSERT INTO projects (id, name, created_at) VALUES ('notes-111111', ?, '2026-12-01T00:00:00Z')`).run(notes);
    expect(localProjectFor(db, 'folder:notes')).toBe('notes-111111');
    const made = localProjectFor(db, 'github.com/acme/shop');
    expect(made).toBe(projectIdOfCwd(checkout(root, 'shop', 'git@github.com:acme/shop.git')));
    expect(db.prepare('SELECT name FROM projects WHERE id = ?').pluck().get(made)).toBe('github.com/acme/shop');
  });
});
