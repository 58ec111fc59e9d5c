/** Rules for the server's messages that carry values: a pattern, and the Swedish built from its match. */
export type MessageRules = ReadonlyArray<readonly [RegExp, (match: RegExpExecArray, lang: string) => string]>;

/**
 * A server message in `lang` by one table (field messages, problem details): in Swedish the exact
 * translation, else the first rule that matches; in any other language, or when nothing matches, as the
 * server sent it.
 */
export function translateByTable(
  exact: Readonly<Record<string, string>>,
  rules: MessageRules,
  lang: string,
  message: string,
): string {
  if (!lang.startsWith('sv')) return message;
  const known = exact[message];
  if (known) return known;
  for (const [pattern, render] of rules) {
    const match = pattern.exec(message);
    if (match) return render(match, lang);
  }
  return message;
}
