// The citizen portal and the web shell through Fastify's inject, as a browser without
// JavaScript sees them: pages, breadcrumbs, region switcher, 长辈版 toggle, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';

const html = { accept: 'text/html' };

/** Text of the page with tags removed, whitespace collapsed. */
function text(body: string): string {
  return body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describeEachBackend('portal pages', (getDb) => {
  let p: TestPlatform;
  before(async () => {
    p = await buildTestPlatform(getDb());
  });
  after(async () => {
    await p?.app.close();
  });

  test('home page: shell, the province with its 13 cities, common tasks', async () => {
    const res = await p.app.inject({ url: '/', headers: html });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    const body = res.body;
    assert.match(body, /<html lang="zh-CN">/);
    assert.match(body, /class="skip-link" href="#main"/);
    assert.match(body, /<main id="main"/);
    assert.match(body, /action="\/search"/);
    assert.match(body, /href="\/account\/login"/);
    assert.match(body, /action="\/preferences\/elder"/);
    assert.match(body, /data-read-aloud hidden/, 'read-aloud button is hidden until site.js finds speech synthesis');
    assert.match(body, /<h1>江苏省一网通办<\/h1>/);
    const cityLinks = body.match(/class="card" href="\/regions\/32\d\d00"/g) ?? [];
    assert.equal(cityLinks.length, 13);
    assert.match(body, /href="\/regions\/320000"/);
    assert.match(body, /常用服务/);
    assert.match(body, /href="\/search\?q=%E7%A4%BE%E4%BC%9A%E4%BF%9D%E9%9A%9C%E5%8D%A1"/, '社会保障卡 goes to search until the catalogue lands');
    // Region switcher: the province and its 13 cities.
    assert.equal((body.match(/<option value="32\d{4}"/g) ?? []).length, 14);
    assert.ok(body.indexOf('按地区办事') < body.indexOf('常用服务'), 'regions first in standard mode');
  });

  test('city, county, town and village pages with breadcrumbs, functional zones and organisations', async () => {
    const city = await p.app.inject({ url: '/regions/320100', headers: html });
    assert.equal(city.statusCode, 200);
    assert.match(city.body, /<h1>南京市/);
    assert.match(city.body, /href="\/regions\/320102">玄武区<\/a>/);
    assert.match(city.body, /南京市市场监督管理局/);
    assert.match(text(city.body), /上级地区 江苏省/);

    const county = await p.app.inject({ url: '/regions/320102', headers: html });
    assert.equal(county.statusCode, 200);
    const crumbs = /<nav class="breadcrumbs"[\s\S]*?<\/nav>/.exec(county.body)![0];
    assert.match(crumbs, /href="\/">首页<\/a>[\s\S]*href="\/regions\/320000">江苏省<\/a>[\s\S]*href="\/regions\/320100">南京市<\/a>[\s\S]*aria-current="page">玄武区</);
    assert.match(county.body, /href="\/regions\/320102002">梅园新村街道<\/a>/);
    assert.match(text(county.body), /区划代码 320102 ?（GB\/T 2260 行政区划代码）/);
    assert.match(county.body, /南京市公安局玄武分局/, 'a district lists its departments');
    assert.match((await p.app.inject({ url: '/regions/320104', headers: html })).body, /本站尚未登记秦淮区的办事机构/, 'a district without departments says so');

    const suzhou = await p.app.inject({ url: '/regions/320500', headers: html });
    assert.match(suzhou.body, /href="\/regions\/320576">苏州工业园区<\/a> <strong class="tag tag--zone">功能区<\/strong>/);
    const zone = await p.app.inject({ url: '/regions/320576', headers: html });
    assert.match(zone.body, /县级功能区/);

    const town = await p.app.inject({ url: '/regions/320102002', headers: html });
    assert.equal(town.statusCode, 200);
    assert.match(text(town.body), /统计用区划代码/);
    const village = /href="\/regions\/(320102002\d{3})"/.exec(town.body)![1]!;
    const leaf = await p.app.inject({ url: `/regions/${village}`, headers: html });
    assert.equal(leaf.statusCode, 200);
    assert.match(leaf.body, /没有下级地区/);
  });

  test('long lists are paginated, out-of-range pages clamp to the last', async () => {
    // 玉山镇 (昆山市) has 94 villages and communities: 40 a page.
    const first = await p.app.inject({ url: '/regions/320583100', headers: html });
    assert.match(first.body, /<nav class="pagination"/);
    assert.match(text(first.body), /第 1–40 项，共 94 项/);
    assert.match(first.body, /href="\/regions\/320583100\?page=2#children" rel="next"/);
    const last = await p.app.inject({ url: '/regions/320583100?page=99', headers: html });
    assert.match(text(last.body), /第 81–94 项，共 94 项/);
    assert.match(last.body, /aria-current="page"><span class="visually-hidden">第 <\/span>3</);
    const bad = await p.app.inject({ url: '/regions/320583100?page=0', headers: html });
    assert.equal(bad.statusCode, 400);
  });

  test('unknown and malformed regions render the HTML error page', async () => {
    const missing = await p.app.inject({ url: '/regions/329900', headers: html });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /text\/html/);
    assert.match(missing.body, /<h1>没有这个行政区划<\/h1>/);
    assert.match(missing.body, /REGION_NOT_FOUND/);
    assert.match(missing.body, /class="site-header"/, 'error pages keep the layout');
    const malformed = await p.app.inject({ url: '/regions/32-100', headers: html });
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.body, /REGION_CODE_MALFORMED/);
    const nowhere = await p.app.inject({ url: '/no-such-page', headers: html });
    assert.equal(nowhere.statusCode, 404);
    assert.match(nowhere.body, /ROUTE_NOT_FOUND/);
  });

  test('search echoes the query, escaped, and promises nothing it cannot do', async () => {
    const res = await p.app.inject({ url: `/search?q=${encodeURIComponent('换社保卡<script>')}`, headers: html });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /“<strong>换社保卡&lt;script&gt;<\/strong>”/);
    assert.doesNotMatch(res.body, /换社保卡<script>/);
    assert.match(res.body, /没有找到相关的服务事项/);
    assert.match(res.body, /value="换社保卡&lt;script&gt;"/);
    const empty = await p.app.inject({ url: '/search', headers: html });
    assert.equal(empty.statusCode, 200);
    assert.doesNotMatch(empty.body, /没有找到相关的服务事项/);
  });

  test('长辈版 toggle needs the CSRF token, persists in a cookie and returns to the page', async () => {
    const b = new Browser(p.app);
    const page = await b.get('/regions/320100');
    const forged = await b.submit('/preferences/elder', { elder: '1', next: '/regions/320100' }, 'forged');
    assert.equal(forged.statusCode, 403);
    const missing = await b.submit('/preferences/elder', { elder: '1', next: '/regions/320100' });
    assert.equal(missing.statusCode, 403);
    assert.doesNotMatch(b.cookieHeader, /yw_elder/);

    const on = await b.submit('/preferences/elder', { elder: '1', next: '/regions/320100' }, Browser.csrfFrom(page.body));
    assert.equal(on.statusCode, 303);
    assert.equal(on.headers.location, '/regions/320100');
    const cookie = (on.cookies as { name: string; maxAge?: number; httpOnly?: boolean }[]).find((c) => c.name === 'yw_elder');
    assert.ok(cookie && cookie.maxAge! > 30 * 24 * 3600 && cookie.httpOnly, 'a long-lived cookie');

    const home = await b.get('/');
    assert.match(home.body, /<html lang="zh-CN" class="elder">/);
    assert.match(home.body, /退出长辈版/);
    assert.match(home.body, /name="elder" value="0"/);
    assert.ok(home.body.indexOf('常用服务') < home.body.indexOf('按地区办事'), 'common tasks come first in 长辈版');

    const off = await b.submit('/preferences/elder', { elder: '0', next: '//evil.example/' }, Browser.csrfFrom(home.body));
    assert.equal(off.statusCode, 303);
    assert.equal(off.headers.location, '/', 'no open redirect');
    assert.doesNotMatch((await b.get('/')).body, /class="elder"/);
  });

  test('region switcher remembers the chosen region in a cookie', async () => {
    const b = new Browser(p.app);
    const res = await b.get('/region?code=320100');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/regions/320100');
    assert.match(b.cookieHeader, /yw_region=320100/);
    const home = await b.get('/');
    assert.match(home.body, /<option value="320100" selected>南京市<\/option>/);
    assert.match(text(home.body), /您选择的地区： 南京市/);
    assert.match(home.body, /href="\/regions\/320100#organisations"/, 'the hall finder follows the chosen region');

    await b.get('/region?code=320102');
    const county = await b.get('/regions/320102');
    assert.match(county.body, /<option value="320102" selected>南京市玄武区<\/option>/);
    assert.match(county.body, /这是您选择的地区/);

    const unknown = await b.get('/region?code=329900');
    assert.equal(unknown.statusCode, 404);
    assert.match(b.cookieHeader, /yw_region=320102/, 'an unknown region is not remembered');
    const forged = await new Browser(p.app).get('/', { cookie: 'yw_region=<b>' });
    assert.equal(forged.statusCode, 200, 'a tampered cookie is ignored');
  });

  test('a signed-in staff member sees their name and a logout form in the header', async () => {
    const b = new Browser(p.app);
    assert.equal((await b.login('nj-clerk', DEMO_PASSWORD)).statusCode, 303);
    const home = await b.get('/');
    assert.match(home.body, /<a href="\/staff">南京综合窗口（演示）<\/a>/);
    assert.match(home.body, /action="\/logout"/);
    assert.doesNotMatch(home.body, /class="utility-button" href="\/account\/login"/);
  });
});
