import Database from 'better-sqlite3';

/** Statements run and the milliseconds they took, for the benchmarks. */
export interface StatementCounter {
  statements: number;
  ms: number;
}

/**
 * Counts and times every better-sqlite3 statement (run, get, all, iterate) of this process from now
 * on, into `counter`. For the benchmarks only (bench:district): it patches the library's Statement
 * class for the whole process and is never called by the program's own paths.
 */
export function countSqliteStatements(counter: StatementCounter): void {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
  probe.close();
  for (const name of ['run', 'get', 'all', 'iterate'] as const) {
    const original = proto[name]!;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      counter.statements++;
      const t = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        counter.ms += performance.now() - t;
      }
    };
  }
}
