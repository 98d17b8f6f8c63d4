import { spawn, spawnSync } from 'node:child_process';
import { track } from './children.js';
import { cliPath } from './workspace.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI exactly as a clerk's terminal or a script would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function startCli(args: string[]) {
  return track(spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
}
