// Where a form may send the visitor back to after a preference change.

/** Only same-site relative paths may be redirect targets (no open redirects). */
export function safeLocalPath(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && next.length <= 512 && /^\/(?![/\\])[\w\-./?=&%+~]*$/.test(next) ? next : fallback;
}
