// The names a person types for a project or a session: whole, or the start of one when only one matches.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectSlug } from '../../src/capture/project.js';
import { projectOfFolder } from '../../src/capture/project.js';
import { findProject, found as byPrefix } from '../../src/cli/names.js';
import type { ProjectView } from '../../src/contracts/insight.js';

const project = (id: string, name: string): ProjectView => ({ id, name, sessionCount: 1, openGaps: 0, resolvedGaps: 0, lastActivityAt: null });
const PROJECTS = [project('guideai-3f2a1b', '/home/ana/guideai'), project('shop-a1b2c3', '/home/ana/shop'), project('shopfront-d4e5f6', '/home/ana/shopfront')];

describe('names', () => {
  it('finds a project by the start of its slug or folder name, without the hash suffix', () => {
    expect(findProject(PROJECTS, 'guideai').id).toBe('guideai-3f2a1b');
    expect(findProject(PROJECTS, 'guide').id).toBe('guideai-3f2a1b');
    expect(findProject(PROJECTS, '/home/ana/guideai').id).toBe('guideai-3f2a1b');
  });

  it('prefers the project a name matches whole over those it only starts', () => {
    expect(findProject(PROJECTS, 'shop').id).toBe('shop-a1b2c3');
  });

  it('says a start several projects share is ambiguous and lists them', () => {
    expect(() => findProject(PROJECTS, 'sho')).toThrow(/^project sho is ambiguous: 2 match; type more of it, or give its folder:\n {2}shop-a1b2c3 {2}\/home\/ana\/shop\n {2}shopfront-d4e5f6 {2}\/home\/ana\/shopfront$/);
  });

  it('never takes an empty name for a start every name shares', () => {
    expect(() => findProject(PROJECTS, '')).toThrow(/^a project name is needed/);
    expect(() => byPrefix('session', '', [{ id: 'a' }], (s) => [s.id])).toThrow(/^a session id is needed/);
  });

  it('refuses a name nothing starts with, listing the known projects', () => {
    expect(() => findProject(PROJECTS, 'blog')).toThrow(/^no project "blog": .*known: guideai-3f2a1b \(\/home\/ana\/guideai\)/);
  });

  it('takes a session by a unique start of its id, and lists the matches of an ambiguous one', () => {
    const ids = [{ id: '019a-77aa' }, { id: '019a-77bb' }, { id: '020c-0000' }];
    expect(byPrefix('session', '020', ids, (s) => [s.id])?.id).toBe('020c-0000');
    expect(byPrefix('session', '9', ids, (s) => [s.id])).toBeUndefined();
    expect(() => byPrefix('session', '019a', ids, (s) => [s.id])).toThrow(/^session 019a is ambiguous: 2 match; type more of it:\n {2}019a-77aa\n {2}019a-77bb$/);
  });
});

describe('the project of a folder', () => {
  // bob's checkout shopB of ana's remote: its sessions are filed under the team project, named after the remote.
  const checkout = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kx-shopB-'));
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, '.git', 'config'), '[remote "origin"]\n\turl = git@github.com:acme/shop.git\n');
    return dir;
  };
  const team = project(projectSlug('github.com/acme/shop'), 'github.com/acme/shop');

  it('is the project kx files the folder’s sessions under: a teammate’s checkout of one remote is the team project', () => {
    const dir = checkout();
    expect(projectOfFolder([...PROJECTS, team], dir)?.id).toBe(team.id);
    expect(projectOfFolder([...PROJECTS, team], path.join(dir, 'src'))?.id).toBe(team.id);
    expect(findProject([...PROJECTS, team], dir).id).toBe(team.id);
    expect(projectOfFolder(PROJECTS, dir)).toBeUndefined();
  });

  it('is the deepest known project whose folder holds it', () => {
    expect(projectOfFolder(PROJECTS, '/home/ana/shopfront/src')?.id).toBe('shopfront-d4e5f6');
    expect(projectOfFolder(PROJECTS, '/home/ana')).toBeUndefined();
  });
});
