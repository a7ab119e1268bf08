// Companies in tests: signing in with the e-business licence through the simulated licence
// wallet, as a company's agent does in a browser.
import assert from 'node:assert/strict';
import { Browser, type TestPlatform } from './platform.ts';
import { DEMO_PIN, type DemoCompany } from '../../simulators/index.ts';

/** Starts a licence login and returns the wallet's redirect back to the platform. */
export async function walletAssertion(platform: TestPlatform, b: Browser, company: DemoCompany, holderName: string, pin = DEMO_PIN): Promise<string> {
  const csrf = Browser.csrfFrom((await b.get('/company/login')).body);
  const start = await b.submit('/company/login', {}, csrf);
  assert.equal(start.statusCode, 303);
  const walletUrl = new URL(start.headers.location as string);
  assert.equal(walletUrl.origin, new URL(platform.externals.simulators!.url).origin);
  // The wallet is a separate HTTP server: the browser goes there for real.
  const wallet = await fetch(walletUrl);
  assert.equal(wallet.status, 200);
  const html = await wallet.text();
  const hidden = (name: string) => (new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '').replace(/&amp;/g, '&');
  const holder = company.holders.find((h) => h.person.name === holderName)!;
  const value = `${company.licenceSerial}:${holder.person.idNumber}`;
  assert.ok(html.includes(`value="${value}"`), 'the wallet lists the licence');
  const confirm = await fetch(new URL('/licence/authorize', walletUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ nonce: hidden('nonce'), callback: hidden('callback'), holder: value, pin, action: 'confirm' }).toString(),
  });
  assert.equal(confirm.status, 303);
  const back = new URL(confirm.headers.get('location')!);
  assert.equal(back.pathname, '/company/login/callback');
  return back.pathname + back.search;
}

export async function licenceLogin(platform: TestPlatform, company: DemoCompany, holderName: string): Promise<Browser> {
  const b = new Browser(platform.app);
  const res = await b.get(await walletAssertion(platform, b, company, holderName));
  assert.equal(res.statusCode, 303, res.body.slice(0, 600));
  assert.equal(res.headers.location, '/company');
  return b;
}
