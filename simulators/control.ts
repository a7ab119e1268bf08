// The failure switch: POST /control {service, mode, delayMs?} (JSON or form), GET /control
// (JSON) and GET /control/page (HTML form, works without JavaScript).
import type { FastifyInstance } from 'fastify';
import { DEFAULT_SLOW_MS, MODES, SERVICES, SERVICE_LABELS, escapeHtml, page, type Mode, type ServiceName, type SimContext } from './kit.ts';

const MODE_LABELS: Record<Mode, string> = {
  normal: '正常',
  slow: '缓慢（超过调用方超时）',
  fail: '失败（返回 5xx）',
  down: '宕机（连接中断）',
  garbage: '篡改（签名不符）',
};

export function setMode(sim: SimContext, service: ServiceName | 'all', mode: Mode, delayMs = DEFAULT_SLOW_MS): void {
  for (const s of service === 'all' ? SERVICES : [service]) sim.modes[s] = { mode, delayMs };
}

export function registerControl(app: FastifyInstance, sim: SimContext): void {
  app.get('/control', async () => ({ services: sim.modes }));

  app.post<{ Body: Record<string, unknown> }>('/control', async (request, reply) => {
    const body = request.body ?? {};
    const service = body.service as ServiceName | 'all';
    const mode = body.mode as Mode;
    const delayMs = body.delayMs === undefined || body.delayMs === '' ? DEFAULT_SLOW_MS : Number(body.delayMs);
    if (!(service === 'all' || SERVICES.includes(service)) || !MODES.includes(mode) || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > 600_000) {
      return reply.code(400).type('application/problem+json').send({
        type: 'about:blank', title: '参数无效', status: 400,
        detail: `service ∈ {all, ${SERVICES.join(', ')}}, mode ∈ {${MODES.join(', ')}}, delayMs 0–600000`,
      });
    }
    setMode(sim, service, mode, delayMs);
    request.log.info({ service, mode, delayMs }, 'simulator mode changed');
    if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return reply.redirect('/control/page', 303);
    return { services: sim.modes };
  });

  app.get('/control/page', async (_request, reply) => {
    const rows = SERVICES.map((s) => {
      const current = sim.modes[s];
      const options = MODES.map((m) => `<option value="${m}"${m === current.mode ? ' selected' : ''}>${MODE_LABELS[m]}</option>`).join('');
      return `<tr><th scope="row">${escapeHtml(SERVICE_LABELS[s])}<br><code>${s}</code></th><td>${MODE_LABELS[current.mode]}${current.mode === 'slow' ? `，${current.delayMs} ms` : ''}</td>
<td><form method="post" action="/control"><input type="hidden" name="service" value="${s}">
<label for="mode-${s}">状态</label><select id="mode-${s}" name="mode">${options}</select>
<label for="delay-${s}">延迟毫秒数（仅“缓慢”）</label><input id="delay-${s}" name="delayMs" inputmode="numeric" value="${current.delayMs}">
<button type="submit">切换</button></form></td></tr>`;
    }).join('');
    const body = `<p class="note">切换各外部系统的行为，用于演示平台在外部系统缓慢、失败或被篡改时的降级处理。也可调用 <code>POST /control</code>。</p>
<table><thead><tr><th scope="col">外部系统</th><th scope="col">当前状态</th><th scope="col">切换</th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/control"><input type="hidden" name="service" value="all"><input type="hidden" name="mode" value="normal"><p><button type="submit">全部恢复正常</button></p></form>`;
    return reply.type('text/html; charset=utf-8').send(page('故障开关', body));
  });
}
