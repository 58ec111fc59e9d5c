/**
 * The Node.js flags `ballou serve` is started with (`npm start`, the `ballou` command's first line,
 * docs/deployment.md's systemd unit, and the test and bench server processes). They must be given on the command line: V8 sizes its heap when the
 * process starts.
 *
 * - `--max-semi-space-size=32` (MiB; Node 20's default is 16): a young generation twice the size. Under a
 *   burst of webhooks each request leaves short-lived garbage (bodies, rows, log lines); with the default,
 *   more of it survives a scavenge and is promoted, and the old generation's collections stall the event
 *   loop. Measured in four alternating pairs of the intake bench on SQLite (docs/decisions/0025): p99 of
 *   the 46elks voice webhook 41 ms against 47 ms on average, Alertmanager 57 against 62 ms, Alertmanager
 *   intake +7 %. It costs up to 48 MiB more memory.
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
