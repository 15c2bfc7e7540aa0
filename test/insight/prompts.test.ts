import { describe, expect, it } from 'vitest';
import { loadPrompts, parsePrompt, renderPrompt } from '../../src/insight/prompts.js';
import { SESSION_SUMMARY_SCHEMA, TURN_INSIGHT_SCHEMA } from '../../src/insight/schemas.js';

const file = (header: string, body: string) => `---\n${header}\n---\n${body}`;

describe('prompt files', () => {
  it('load the two prompts with the schema kx sends and the variables their templates use', () => {
    const prompts = loadPrompts({ turn: TURN_INSIGHT_SCHEMA, session: SESSION_SUMMARY_SCHEMA });
    expect(prompts.turn.variables).toEqual(['project', 'open_gaps', 'turn']);
    expect(prompts.session.variables).toEqual(['project', 'gaps', 'turns']);
    // The instructions never change between calls, so the provider's prompt cache can reuse them.
    expect(prompts.turn.instructions).not.toMatch(/\{\{/);
    expect(renderPrompt(prompts.turn, { project: 'p', open_gaps: '(none)', turn: 'T' })).toContain('<turn>\nT\n</turn>');
  });

  it('refuse a prompt whose schema is not the one kx sends', () => {
    expect(() => loadPrompts({ turn: 'other_schema', session: SESSION_SUMMARY_SCHEMA })).toThrow(/names schema turn_insight; kx sends other_schema/);
  });

  it('refuse a template variable the header does not declare, and a declared one never used', () => {
    expect(() => parsePrompt('x', file('schema: s\nvariables:\n  - a: the a', 'Do it.\n=== input ===\n{{a}} {{b}}'))).toThrow(/uses \{\{b\}\} but its header does not declare it/);
    expect(() => parsePrompt('x', file('schema: s\nvariables:\n  - a: the a\n  - c: the c', 'Do it.\n=== input ===\n{{a}}'))).toThrow(/declares c but its template never uses it/);
  });

  it('refuse a variable in the instructions, which must stay the same on every call', () => {
    expect(() => parsePrompt('x', file('schema: s\nvariables:\n  - a: the a', 'Do {{a}}.\n=== input ===\n{{a}}'))).toThrow(/variables belong below/);
  });
});
