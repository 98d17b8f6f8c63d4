/**
 * Runs `work` once now, again for every request (requests that come while it runs are merged into
 * one more run), and a last time once `end` is called; `finished` resolves after that last run.
 */
export function repeatOnRequest(work: () => Promise<void>): { request(): void; end(): void; finished: Promise<void> } {
  let wanted = true;
  let ended = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    wanted = true;
    wake?.();
  };
  const finished = (async () => {
    for (;;) {
      if (!wanted) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const last = ended;
      wanted = false;
      await work();
      if (last) return;
    }
  })();
  return {
    request: poke,
    end: () => {
      ended = true;
      poke();
    },
    finished,
  };
}
