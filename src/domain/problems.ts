/**
 * An expected failure: a short machine code for logs and tests, and a message in Chinese
 * telling the office what is wrong and what to do.
 */
export class XinfangError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(`${code}: ${userMessage}`);
    this.name = 'XinfangError';
  }
}

export function isXinfangError(e: unknown): e is XinfangError {
  return e instanceof XinfangError;
}

export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
