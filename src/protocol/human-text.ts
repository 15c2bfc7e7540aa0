// Codex sends its own context as user-role text. These rules tell that text from
// the human's words. See docs/protocol.md §6 (both methods).

const INJECTED_MARKERS: ReadonlyArray<readonly [open: RegExp, close: string]> = [
  [/^<environment_context>/i, '</environment_context>'],
  [/^# AGENTS\.md instructions for /i, '</INSTRUCTIONS>'],
  [/^<user_instructions>/i, '</user_instructions>'],
  [/^<skill>/i, '</skill>'],
  [/^<user_shell_command>/i, '</user_shell_command>'],
  [/^<turn_aborted>/i, '</turn_aborted>'],
  [/^<subagent_notification>/i, '</subagent_notification>'],
  [/^<additional_context>/i, '</additional_context>'],
  [/^<agent_message_board_notification>/i, '</agent_message_board_notification>'],
];

/** True when a user-role text part is context the client injected (method 2, text markers). */
export function isInjectedText(text: string): boolean {
  const t = text.trim();
  return INJECTED_MARKERS.some(([open, close]) => open.test(t) && t.toLowerCase().endsWith(close.toLowerCase()));
}

/** Image wrappers (`<image name=...>` / `</image>`) belong to the human's message but are not words. */
export function isImageWrapper(text: string): boolean {
  const t = text.trim();
  return /^<image\b[^>]*>$/i.test(t) || /^<\/image>$/i.test(t);
}

export interface ContentPartView {
  text?: string;
  isImage: boolean;
  /** Provenance from Codex's metadata passthrough (method 1), when present. */
  provenance?: string;
}

/**
 * Splits a user-role message into the human's text and injected context.
 * Provenance metadata wins where present; markers decide otherwise.
 */
export function splitUserMessage(parts: ContentPartView[], isContext?: (text: string) => boolean): { human: string[]; injected: string[]; images: number } {
  const human: string[] = [];
  const injected: string[] = [];
  let images = 0;
  for (const part of parts) {
    const fromUser = part.provenance ? part.provenance === 'user' : undefined;
    if (part.isImage) {
      if (fromUser !== false) images++;
      continue;
    }
    const text = part.text ?? '';
    if (fromUser === false || (fromUser === undefined && (isInjectedText(text) || isContext?.(text) === true))) {
      injected.push(text);
    } else if (!isImageWrapper(text)) {
      human.push(text);
    }
  }
  return { human, injected, images };
}

/**
 * A human message as the human typed it: learn mode's rewrite is what went upstream and is the item's
 * text; what was typed is kept beside it (`detail.originalText`). Titles and folder names use this.
 */
export function typedText(item: { text?: string | null | undefined; detail?: unknown }): string | undefined {
  const original = typeof item.detail === 'object' && item.detail !== null ? (item.detail as { originalText?: unknown }).originalText : undefined;
  return typeof original === 'string' ? original : (item.text ?? undefined);
}
