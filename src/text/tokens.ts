/** A rough token count for this many characters (4 characters a token): good enough for a budget. */
export const tokensOfChars = (chars: number): number => Math.ceil(chars / 4);

/** A rough token count of a text, free to compute. */
export const estimateTokens = (text: string): number => tokensOfChars(text.length);
