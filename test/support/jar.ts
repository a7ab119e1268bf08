// A browser over fetch for flows that cross real listening servers (single sign-on,
// federation, the benchmark's token flow): cookies per host, redirects and `Refresh` pages
// followed by hand, and optionally the provider's consent page confirmed on the way.

export interface JarOptions {
  /** Where a URL is really sent (e.g. a public https origin to the local http port). */
  rewrite?: (url: string) => string;
  /** Headers sent with every request (e.g. the proxy's x-forwarded-proto). */
  headers?: Record<string, string>;
  /** Confirm the SSO consent page when `follow` meets it (as a person clicking 同意). */
  consent?: boolean;
}

export class Jar {
  private readonly cookies = new Map<string, Map<string, string>>();
  private readonly options: JarOptions;
  constructor(options: JarOptions = {}) {
    this.options = options;
  }

  private of(url: string): Map<string, string> {
    const host = new URL(url).hostname;
    if (!this.cookies.has(host)) this.cookies.set(host, new Map());
    return this.cookies.get(host)!;
  }

  /** Where a request for `url` really goes. */
  target(url: string): string {
    return this.options.rewrite ? this.options.rewrite(url) : url;
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const target = this.target(url);
    const jar = this.of(target);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { accept: 'text/html', ...this.options.headers, ...(init.headers as Record<string, string>), cookie },
    }).catch((err: unknown) => {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new Error(`${init.method ?? 'GET'} ${url} (sent to ${target}) failed${cause}`);
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      if (v.join('=') === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(k!.trim());
      else jar.set(k!.trim(), v.join('='));
    }
    return res;
  }

  post(url: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  }

  /** The cookie header this jar would send to `url`'s host. */
  cookieHeader(url: string): string {
    return [...this.of(this.target(url))].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Plants a cookie for `url`'s host (e.g. a session opened outside the browser). */
  setCookie(url: string, name: string, value: string): void {
    this.of(this.target(url)).set(name, value);
  }

  /**
   * Follows 30x and `Refresh` until a URL starts with `stopAt` (not fetched) or a page needs
   * the person: returns that page with its status.
   */
  async follow(start: string, stopAt?: string): Promise<{ url: string; status: number; body: string }> {
    let url = start;
    for (let i = 0; i < 20; i++) {
      if (stopAt && url.startsWith(stopAt)) return { url, status: 0, body: '' };
      const res = await this.fetch(url);
      let next = res.headers.get('location') ?? refreshTarget(res);
      const body = next ? '' : await res.text();
      if (!next && this.options.consent && /action="([^"]+\/interaction\/[^"]+\/confirm)"/.test(body)) {
        const action = /action="([^"]+\/confirm)"/.exec(body)![1]!;
        const consent = await this.post(new URL(action, url).href, { _csrf: /name="_csrf" value="([^"]+)"/.exec(body)![1]! });
        next = refreshTarget(consent) ?? consent.headers.get('location') ?? undefined;
        if (!next) throw new Error(`consent did not lead on (${consent.status})`);
      }
      if (!next) return { url, status: res.status, body };
      await res.body?.cancel().catch(() => {});
      url = new URL(next, url).href;
    }
    throw new Error('too many redirects');
  }
}

/** The target of a `Refresh: 0;url=…` header (the SSO pages' way past the form-action CSP). */
export function refreshTarget(res: Response): string | undefined {
  return /^0;url=(.+)$/.exec(res.headers.get('refresh') ?? '')?.[1];
}
