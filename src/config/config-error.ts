/** A mistake in a setting or an argument the person can fix: printed as one plain line, exit code 2. */
export class ConfigError extends Error {}
