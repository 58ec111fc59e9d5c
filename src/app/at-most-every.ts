/**
 * Runs `run` when triggered, but at most once every `ms`: a trigger inside that time is not lost, it
 * schedules one run at the end of it, however many triggers came meanwhile. For signals that arrive in
 * bursts (a commit per incident during an alert storm) where only the last one matters.
 */
export function atMostEvery(ms: number, run: () => void): { trigger(): void; cancel(): void } {
  let lastRunAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    timer = undefined;
    lastRunAt = performance.now();
    run();
  };
  return {
    trigger() {
      if (timer) return;
      const wait = lastRunAt + ms - performance.now();
      if (wait <= 0) fire();
      else {
        timer = setTimeout(fire, wait);
        timer.unref();
      }
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
