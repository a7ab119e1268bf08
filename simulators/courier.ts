// Courier (邮寄送达): takes shipment orders and answers tracking queries. A shipment moves one
// status on every `stepMs` of simulated time (created → picked_up → in_transit → delivering →
// delivered), or at once on POST /courier/advance, so a demo or a test need not wait hours.
// `afterMs` on that call moves the courier's own clock forward: the signing clock (sim.now)
// stays real, since answers stamped hours ahead would rightly fail the client's skew check.
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { apiRoute, escapeHtml, page, shanghai, type SimContext } from './kit.ts';

const FLOW = ['created', 'picked_up', 'in_transit', 'delivering', 'delivered'] as const;
type Status = (typeof FLOW)[number] | 'returned';
const TERMINAL = new Set<Status>(['delivered', 'returned']);
const LABELS: Record<Status, string> = { created: '已下单', picked_up: '已揽收', in_transit: '运输中', delivering: '派送中', delivered: '已签收', returned: '已退回' };

interface Party {
  name: string;
  phone: string;
  address: string;
}

interface Shipment {
  trackingNumber: string;
  reference: string;
  sender: Party;
  recipient: Party & { regionCode: string };
  status: Status;
  events: { at: number; text: string }[];
}

export interface CourierStore {
  list(): Shipment[];
  /** Moves a shipment (or every open one) one step on, or straight to `to`. */
  advance(trackingNumber?: string, to?: Status): Shipment[];
}

export const DEFAULT_COURIER_STEP_MS = 2 * 3600_000;
const KEEP = 2000;

function eventText(s: Shipment, status: Status): string {
  switch (status) {
    case 'created': return `已下单，等待快递员上门揽收（寄件方：${s.sender.name}）`;
    case 'picked_up': return '快递员已揽收';
    case 'in_transit': return `快件已发往 ${s.recipient.regionCode.slice(0, 4)} 转运中心`;
    case 'delivering': return '快递员正在派送，请保持电话畅通';
    case 'delivered': return '已签收，签收人：本人';
    case 'returned': return '收件人拒收或无法联系，快件已退回寄件方';
  }
}

const party = { type: 'object', required: ['name', 'phone', 'address'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, phone: { type: 'string', minLength: 5, maxLength: 20 }, address: { type: 'string', minLength: 1, maxLength: 300 } } };

export function registerCourier(app: FastifyInstance, sim: SimContext, stepMs = DEFAULT_COURIER_STEP_MS): CourierStore {
  const shipments = new Map<string, Shipment>();
  const byReference = new Map<string, string>();
  let offsetMs = 0;
  const now = () => sim.now() + offsetMs;

  const push = (s: Shipment, status: Status, at: number) => {
    s.status = status;
    s.events.push({ at, text: eventText(s, status) });
  };
  // Time-driven progress is computed when a shipment is looked at, from its last event.
  const catchUp = (s: Shipment) => {
    while (!TERMINAL.has(s.status)) {
      const due = s.events.at(-1)!.at + stepMs;
      if (due > now()) break;
      push(s, FLOW[FLOW.indexOf(s.status as (typeof FLOW)[number]) + 1]!, due);
    }
    return s;
  };
  const advance = (trackingNumber?: string, to?: Status) => {
    const targets = trackingNumber ? [shipments.get(trackingNumber)].filter((s): s is Shipment => !!s) : [...shipments.values()];
    for (const s of targets.map(catchUp)) {
      if (TERMINAL.has(s.status)) continue;
      if (to === 'returned') push(s, 'returned', now());
      else {
        const goal = to ? FLOW.indexOf(to) : FLOW.indexOf(s.status as (typeof FLOW)[number]) + 1;
        for (let i = FLOW.indexOf(s.status as (typeof FLOW)[number]) + 1; i <= goal; i++) push(s, FLOW[i]!, now());
      }
    }
    return targets;
  };

  apiRoute<{ reference: string; sender: Party; recipient: Party & { regionCode: string } }>(app, sim, {
    method: 'POST', url: '/courier/v1/shipments', service: 'courier',
    schema: {
      body: {
        type: 'object', required: ['reference', 'sender', 'recipient'],
        properties: {
          reference: { type: 'string', minLength: 1, maxLength: 64 },
          sender: party,
          recipient: { ...party, required: [...party.required, 'regionCode'], properties: { ...party.properties, regionCode: { type: 'string', pattern: '^\\d{6}$' } } },
        },
      },
    },
    async handler(request) {
      const { reference, sender, recipient } = request.body;
      const existing = byReference.get(reference);
      if (existing) return { trackingNumber: existing, reference };
      let trackingNumber: string;
      do trackingNumber = `SF${String(randomInt(0, 1e6)).padStart(6, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
      while (shipments.has(trackingNumber));
      const s: Shipment = { trackingNumber, reference, sender, recipient, status: 'created', events: [] };
      push(s, 'created', now());
      shipments.set(trackingNumber, s);
      byReference.set(reference, trackingNumber);
      if (shipments.size > KEEP) {
        const oldest = shipments.values().next().value!;
        shipments.delete(oldest.trackingNumber);
        byReference.delete(oldest.reference);
      }
      return { trackingNumber, reference };
    },
  });

  apiRoute<never>(app, sim, {
    method: 'GET', url: '/courier/v1/shipments/:trackingNumber', service: 'courier',
    async handler(request, reply) {
      const s = shipments.get(request.params.trackingNumber ?? '');
      if (!s) return reply.code(404).type('application/problem+json').send({ type: 'about:blank', title: '没有这个运单', status: 404 });
      catchUp(s);
      return { trackingNumber: s.trackingNumber, status: s.status, events: s.events.map((e) => ({ at: new Date(e.at).toISOString(), text: e.text })) };
    },
  });

  // Dev control, like /control: unsigned and outside the failure switch.
  app.post<{ Body: Record<string, unknown> }>('/courier/advance', async (request, reply) => {
    const body = request.body ?? {};
    const trackingNumber = typeof body.trackingNumber === 'string' && body.trackingNumber ? body.trackingNumber : undefined;
    const to = typeof body.to === 'string' && body.to ? (body.to as Status) : undefined;
    const afterMs = body.afterMs === undefined || body.afterMs === '' ? null : Number(body.afterMs);
    if ((to && !(to in LABELS)) || (trackingNumber && !shipments.has(trackingNumber)) || (afterMs !== null && !(Number.isInteger(afterMs) && afterMs > 0 && afterMs <= 30 * 86400_000))) {
      return reply.code(400).type('application/problem+json').send({ type: 'about:blank', title: '参数无效', status: 400, detail: `trackingNumber: a known SF number; to ∈ {${Object.keys(LABELS).join(', ')}}; afterMs: 1–2592000000` });
    }
    let moved: Shipment[];
    if (afterMs !== null) {
      offsetMs += afterMs;
      moved = (trackingNumber ? [shipments.get(trackingNumber)!] : [...shipments.values()]).map(catchUp);
    } else moved = advance(trackingNumber, to);
    if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return reply.redirect('/courier', 303);
    return { shipments: moved.map((s) => ({ trackingNumber: s.trackingNumber, status: s.status })) };
  });

  app.get('/courier', async (_request, reply) => {
    const list = [...shipments.values()].map(catchUp).reverse().slice(0, 200);
    const rows = list.map((s) => `<tr><td><code>${s.trackingNumber}</code></td><td>${escapeHtml(s.reference)}</td><td>${escapeHtml(s.recipient.name)}<br>${escapeHtml(s.recipient.address)}</td>
<td>${LABELS[s.status]}<br>${escapeHtml(shanghai(new Date(s.events.at(-1)!.at)))}</td><td>${TERMINAL.has(s.status) ? '' : `<form method="post" action="/courier/advance"><input type="hidden" name="trackingNumber" value="${s.trackingNumber}"><button type="submit">推进一步</button></form>`}</td></tr>`).join('');
    const body = `<p class="note">模拟快递公司收到的邮寄订单。运单每 ${Math.round(stepMs / 60_000)} 分钟自动推进一个状态，也可在此或调用 <code>POST /courier/advance</code> 立即推进。</p>
${list.length ? `<table><thead><tr><th scope="col">运单号</th><th scope="col">业务编号</th><th scope="col">收件人</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>暂无运单。</p>'}`;
    return reply.type('text/html; charset=utf-8').send(page('快递运单', body));
  });

  return { list: () => [...shipments.values()].map(catchUp), advance };
}
