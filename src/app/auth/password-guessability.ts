import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * Whether a password is among the most common ones or another pattern an attacker tries early (ASVS
 * 6.2.4 / 2.1.7, NIST SP 800-63B 3.1.1.2): zxcvbn-ts estimates the guesses needed with its offline
 * dictionary of the ~30 000 most common passwords, names and words, keyboard rows, repetitions,
 * sequences and dates. A score of 0 or 1 (fewer than 10^6 guesses) is refused: "password1234",
 * "123456789012", "qwertyuiopasdf", "trustno1trustno1". No network, nothing leaves the process.
 * The matcher is built on first use (its dictionaries take ~0.1 s to build), then each check takes a
 * few milliseconds.
 */
let matcher: ZxcvbnFactory | undefined;

/** Guessable: fewer than about a million guesses. `context`: words of this account and service. */
export function isEasilyGuessed(password: string, context: readonly string[] = []): boolean {
  matcher ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return matcher.check(password, [...context]).score < 2;
}
