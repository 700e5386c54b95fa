// Credentials that a URL may carry (a password in its user info, a pre-signed S3 URL's
// signature, an API key in its query) are kept out of everything the project writes: logs, error
// messages, the run history, manifests and reports. The URL itself stays readable.

/** Query parameters whose values are credentials (case-insensitive; X-Amz-* as S3 signs URLs). */
const SECRET_PARAMETER =
  /^(x-amz-(signature|credential|security-token)|signature|sig|token|access_token|id_token|auth|authorization|api[-_]?key|key|secret|client_secret|password|passwd|pwd|credential|credentials|session|sessionid)$/i;

const REDACTED = '[redacted]';

/** The URL with its password and key-like query values replaced by [redacted]; text that is not a URL comes back as it was. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (!u.username && !u.password && ![...u.searchParams.keys()].some((k) => SECRET_PARAMETER.test(k))) return url;
  // Rebuilt by hand: URL's own serialisation would percent-encode the brackets.
  const auth = u.username || u.password ? `${u.username ? decodeURIComponent(u.username) : ''}${u.password ? `:${REDACTED}` : ''}@` : '';
  const query = u.search
    ? `?${u.search
        .slice(1)
        .split('&')
        .map((pair) => {
          const name = pair.split('=')[0]!;
          return SECRET_PARAMETER.test(decodeURIComponent(name)) ? `${name}=${REDACTED}` : pair;
        })
        .join('&')}`
    : '';
  return `${u.protocol}//${auth}${u.host}${u.pathname}${query}${u.hash}`;
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** Every URL in `text` redacted (error messages, log lines). */
export function redactUrls(text: string): string {
  return text.includes('://') ? text.replace(URL_IN_TEXT, (url) => redactUrl(url)) : text;
}
