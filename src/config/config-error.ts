/** A mistake in a setting or an argument the person can fix: printed as plain lines, exit code 2. */
export class ConfigError extends Error {
  /** Each mistake apart (the CLI starts every one with `kx:`); one by default, the whole message (a usage text stays under it). */
  readonly mistakes: readonly string[];
  constructor(message: string, mistakes?: readonly string[]) {
    super(message);
    this.mistakes = mistakes ?? [message];
  }
}
