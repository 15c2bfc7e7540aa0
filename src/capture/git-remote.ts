// A project's name across machines: the git remote of the repository at a working directory, read
// from the repository's own config file (never by running git: this runs on the forwarding path), so
// /home/ana/shop and /Users/bob/code/shop, two checkouts of one remote, are one project.

import fs from 'node:fs';
import path from 'node:path';

/**
 * One spelling per remote: scheme, user, port-less ssh colon, `.git` and trailing slashes dropped,
 * host lower-cased. `git@github.com:acme/shop.git`, `ssh://git@github.com/acme/shop` and
 * `https://ana:pw@github.com/acme/shop.git` are all `github.com/acme/shop`. Undefined when it is not a remote.
 */
export function normaliseRemote(url: string): string | undefined {
  let s = url.trim();
  if (!s) return undefined;
  // scp-like `user@host:path` (no scheme); a Windows drive letter is one character, never a host.
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(s);
  if (scp && scp[1]!.length > 1 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `${scp[1]}/${scp[2]}`;
  else {
    const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/]+)(\/.*)?$/i.exec(s);
    if (!m) return undefined;
    s = `${m[1]!.replace(/:\d+$/, '')}${m[2] ?? ''}`;
  }
  s = s.replace(/\/+$/, '').replace(/\.git$/i, '').replace(/\/+$/, '');
  const slash = s.indexOf('/');
  if (slash <= 0) return undefined;
  return `${s.slice(0, slash).toLowerCase()}${s.slice(slash)}`;
}

/** The `url` of `[remote "origin"]`, else of the first remote, in a git config file's text. */
export function remoteUrlOfConfig(text: string): string | undefined {
  let section = '';
  const urls: Array<{ remote: string; url: string }> = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const head = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (head) {
      section = head[1]!;
      continue;
    }
    const kv = /^url\s*=\s*(.+)$/i.exec(line);
    const remote = /^remote\s+"(.+)"$/.exec(section);
    if (kv && remote) urls.push({ remote: remote[1]!, url: kv[1]!.replace(/^"|"$/g, '') });
  }
  return (urls.find((u) => u.remote === 'origin') ?? urls[0])?.url;
}

/** The config file of the repository holding `dir`: `.git/config`, or a worktree's common dir's. */
function configFileOf(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dotGit);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) return path.join(dotGit, 'config');
    if (stat?.isFile()) {
      // A worktree or submodule: `.git` names the real git dir; a worktree's has a `commondir` with the shared config.
      const gitDir = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      if (!gitDir) return undefined;
      const real = path.resolve(d, gitDir);
      let common = real;
      try {
        common = path.resolve(real, fs.readFileSync(path.join(real, 'commondir'), 'utf8').trim());
      } catch {
        // no commondir: a submodule, whose config is its own
      }
      return path.join(common, 'config');
    }
    if (path.dirname(d) === d) return undefined;
  }
}

const cache = new Map<string, { remote: string | undefined; at: number }>();
const CACHE_MS = 60_000;
const CACHE_MAX = 500;

/** The normalised remote of the repository at `cwd`, or undefined (no repository, no remote, unreadable); cached a minute. */
export function gitRemoteOf(cwd: string, now = Date.now()): string | undefined {
  const hit = cache.get(cwd);
  if (hit && now - hit.at < CACHE_MS) return hit.remote;
  let remote: string | undefined;
  try {
    const file = configFileOf(cwd);
    const url = file ? remoteUrlOfConfig(fs.readFileSync(file, 'utf8')) : undefined;
    remote = url ? normaliseRemote(url) : undefined;
  } catch {
    remote = undefined;
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(cwd, { remote, at: now });
  return remote;
}

/** The team's name for the project at a working directory: its remote, else its folder's name. */
export function teamProjectKey(cwd: string): string {
  return gitRemoteOf(cwd) ?? `folder:${path.basename(cwd.replace(/[\\/]+$/, '')) || cwd}`;
}
