// Which playbook steps a topic is about: by words, as search matches them (any form of a word, other words for
// it from the synonym table), never by a fragment of a word ("e" is no topic of "deploy"). Steps are short and
// say "Run the command", so the text matched is the step with what its session or turn is about. Pure.

import { queryWords } from '../store/query-words.js';
import { expandQuery, plainForm } from '../store/synonyms.js';
import { SYNONYMS } from '../store/synonym-groups.js';

/** A plain form this long also finds longer words it starts ("deploy" finds "deployment"); shorter ones only themselves. */
const PREFIX_FORM = 5;

const wordsOf = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Whether `text` holds `phrase` (plain forms) as consecutive words. */
function holds(forms: readonly string[], phrase: readonly string[]): boolean {
  const meets = (form: string, key: string) => form === key || (phrase.length === 1 && key.length >= PREFIX_FORM && form.startsWith(key));
  for (let i = 0; i + phrase.length <= forms.length; i++) if (phrase.every((key, j) => meets(forms[i + j]!, key))) return true;
  return false;
}

/**
 * A test of texts for a topic: true when one holds any of the topic's words, or another name for one, in any
 * form. Undefined when the topic has no word worth looking for ("the", "how did we").
 */
export function topicTest(topic: string): ((text: string) => boolean) | undefined {
  const words = queryWords(topic);
  if (words.length === 0) return undefined;
  const others = expandQuery(words.join(' '), SYNONYMS).flatMap((e) => e.alternatives);
  const phrases = [...words, ...others].map((p) => wordsOf(p).map(plainForm)).filter((p) => p.length > 0);
  return (text) => {
    const forms = wordsOf(text).map(plainForm);
    return phrases.some((p) => holds(forms, p));
  };
}
