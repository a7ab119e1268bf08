// Pages oidc-provider renders itself (logout confirmation, errors): they bypass our layout,
// so they are complete documents here, using the same stylesheet and no inline script.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function providerPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - 一网通办统一身份认证</title>
<link rel="stylesheet" href="/assets/site.css"></head>
<body><main id="main" class="container narrow section">${body}</main></body>
</html>`;
}

/** Headers our own pages get from security-headers.ts; hijacked provider responses need them too. */
export const PROVIDER_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  // No form-action: the logout confirmation's POST legitimately redirects to the client.
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'",
};
