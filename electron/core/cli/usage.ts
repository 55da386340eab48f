/** The error a command throws for words it cannot take: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
