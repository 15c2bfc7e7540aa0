// Two checkouts of one git remote at different paths (as on two machines), made by writing the files
// git would: a `.git/config` naming the remote, or a worktree's `.git` file pointing at its git dir.

import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../harness/drivers/temp-dir.js';

export function checkout(parent: string, name: string, remoteUrl: string | undefined): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  const remote = remoteUrl ? `[remote "origin"]\n\turl = ${remoteUrl}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n` : '';
  fs.writeFileSync(path.join(dir, '.git', 'config'), `[core]\n\trepositoryformatversion = 0\n${remote}[branch "main"]\n\tremote = origin\n`);
  return dir;
}

/** /…/ana/home/shop and /…/bob/code/shop: one remote, spelt the ssh way on one and the https way on the other. */
export function twoCheckouts(): { a: string; b: string } {
  const root = tempDir('kx-checkouts-');
  return {
    a: checkout(path.join(root, 'ana', 'home'), 'shop', 'git@github.com:acme/shop.git'),
    b: checkout(path.join(root, 'bob', 'code'), 'shop', 'https://bob@github.com/acme/shop'),
  };
}
