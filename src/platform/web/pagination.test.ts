import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paginate, pageSlice } from './pagination.ts';
import { safeLocalPath } from './redirect.ts';

const href = (n: number) => `/list?page=${n}`;
const shown = (p: ReturnType<typeof paginate>) => p.items.map((i) => (i.kind === 'gap' ? '…' : i.current ? `[${i.number}]` : String(i.number))).join(' ');

test('pagination shows first, last and two either side, with gaps', () => {
  assert.equal(shown(paginate(200, 6, 10, href)), '1 … 4 5 [6] 7 8 … 20');
  assert.equal(shown(paginate(200, 1, 10, href)), '[1] 2 3 … 20');
  assert.equal(shown(paginate(200, 4, 10, href)), '1 2 3 [4] 5 6 … 20', 'a gap of one page shows the page instead');
  assert.equal(shown(paginate(5, 1, 10, href)), '[1]');
  assert.equal(shown(paginate(0, 1, 10, href)), '[1]');
});

test('pagination clamps the page and reports the range', () => {
  const last = paginate(94, 99, 40, href);
  assert.deepEqual([last.page, last.pageCount, last.from, last.to, last.prev, last.next], [3, 3, 81, 94, '/list?page=2', null]);
  const first = paginate(94, 0, 40, href);
  assert.deepEqual([first.page, first.from, first.to, first.prev, first.next], [1, 1, 40, null, '/list?page=2']);
  assert.deepEqual(pageSlice([...Array(94).keys()], last, 40).slice(0, 2), [80, 81]);
  assert.deepEqual([paginate(0, 1, 10, href).from, paginate(0, 1, 10, href).to], [0, 0]);
});

test('only same-site paths are redirect targets', () => {
  assert.equal(safeLocalPath('/regions/320100?page=2'), '/regions/320100?page=2');
  assert.equal(safeLocalPath('/search?q=%E7%A4%BE'), '/search?q=%E7%A4%BE');
  for (const bad of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', undefined, 42, '/a"onmouseover=x']) {
    assert.equal(safeLocalPath(bad), '/', String(bad));
  }
});
