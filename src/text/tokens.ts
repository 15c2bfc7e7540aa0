/** A rough token count (4 characters a token): good enough for a budget, and free to compute. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);
