/** A program of the site's run with some input: how the alerts reach an SMS gateway or a work chat (adapters/system/command.ts). */
export interface CommandRun {
  /** The program and its arguments. */
  command: readonly string[];
  /** Written to the program's standard input, which is then closed. */
  stdin: string;
  env: Record<string, string>;
  timeoutMs: number;
  cwd: string;
}

export type CommandOutcome =
  | { ok: true; exitCode: 0; ms: number }
  | { ok: false; exitCode: number | null; signal: string | null; timedOut: boolean; error: string | null; stderr: string; ms: number };

/** Runs the command to its end (or its timeout); never throws, the outcome says how it went. */
export type RunCommand = (run: CommandRun) => Promise<CommandOutcome>;
