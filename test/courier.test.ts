// The courier adapter against the simulated courier over real HTTP: a shipment from order to
// delivery (by control call and by simulated time), outages, and answers that fail the signature.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateSm2KeyPair } from '../src/platform/crypto/sm2.ts';
import { CourierUnavailableError, TRACKING_NUMBER, courierOf, createHttpCourier, type CourierService } from '../src/platform/external/courier.ts';
import { openExternalServices } from '../src/external.ts';
import { buildSimulatorApp } from '../simulators/app.ts';
import type { SimContext } from '../simulators/kit.ts';
import { setMode } from '../simulators/control.ts';
import { testConfig } from './support/platform.ts';

const shipment = (reference: string) => ({
  reference,
  sender: { name: '南京市玄武区政务服务中心', phone: '025-84000000', address: '南京市玄武区北京东路 41 号' },
  recipient: { name: '张三', phone: '13900000001', address: '苏州市姑苏区人民路 100 号', regionCode: '320508' },
});

describe('courier adapter and simulator', () => {
  const serviceKey = generateSm2KeyPair();
  const client = { id: 'yiwang-platform', ...generateSm2KeyPair() };
  let url = '';
  let sim: SimContext;
  let close: () => Promise<void>;
  let courier: CourierService;

  before(async () => {
    const built = buildSimulatorApp({ serviceKey, issuerKey: generateSm2KeyPair(), clients: { [client.id]: client.publicKey } });
    sim = built.sim;
    await built.app.listen({ host: '127.0.0.1', port: 0 });
    const address = built.app.server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    close = () => built.app.close();
    courier = createHttpCourier({ baseUrl: url, servicePublicKey: serviceKey.publicKey, clientId: client.id, clientPrivateKey: client.privateKey, timeoutMs: 1000 });
  });
  after(async () => close?.());

  const advance = async (body: Record<string, string | number>) => {
    const res = await fetch(`${url}/courier/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json();
  };

  it('creates a shipment and tracks it through to delivered by control calls', async () => {
    const { trackingNumber } = await courier.createShipment(shipment('JS-2026-000001'));
    assert.match(trackingNumber, TRACKING_NUMBER);
    // The same reference is the same shipment: a retried order does not ship twice.
    assert.equal((await courier.createShipment(shipment('JS-2026-000001'))).trackingNumber, trackingNumber);
    assert.equal((await courier.track(trackingNumber)).status, 'created');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      await advance({ trackingNumber });
      seen.push((await courier.track(trackingNumber)).status);
    }
    assert.deepEqual(seen, ['picked_up', 'in_transit', 'delivering', 'delivered']);
    const final = await courier.track(trackingNumber);
    assert.equal(final.events.length, 5);
    assert.ok(final.events.every((e) => e.at instanceof Date && e.text.length > 0));
    assert.match(final.events.at(-1)!.text, /签收/);
    // Delivered is final.
    await advance({ trackingNumber, to: 'returned' });
    assert.equal((await courier.track(trackingNumber)).status, 'delivered');
  });

  it('moves shipments on with simulated time, and can return one', async () => {
    const { trackingNumber } = await courier.createShipment(shipment('JS-2026-000002'));
    await advance({ afterMs: String(2 * 3600_000 + 1) });
    assert.equal((await courier.track(trackingNumber)).status, 'picked_up');
    await advance({ afterMs: String(3 * 2 * 3600_000) });
    const t = await courier.track(trackingNumber);
    assert.equal(t.status, 'delivered');
    assert.deepEqual(t.events.map((e) => e.at.getTime() - t.events[0]!.at.getTime()), [0, 1, 2, 3, 4].map((n) => n * 2 * 3600_000));
    const other = await courier.createShipment(shipment('JS-2026-000003'));
    await advance({ trackingNumber: other.trackingNumber, to: 'returned' });
    assert.equal((await courier.track(other.trackingNumber)).status, 'returned');
  });

  it('reports an outage as CourierUnavailableError', async () => {
    for (const [mode, reason] of [['fail', 'upstream_error'], ['down', 'network']] as const) {
      setMode(sim, 'courier', mode);
      try {
        await assert.rejects(courier.createShipment(shipment(`JS-OUTAGE-${mode}`)), (err: unknown) => err instanceof CourierUnavailableError && err.reason === reason);
      } finally {
        setMode(sim, 'courier', 'normal');
      }
    }
    await assert.rejects(courier.track('SF000000000000'), (err: unknown) => err instanceof CourierUnavailableError && err.reason === 'upstream_error');
  });

  it('rejects answers that are tampered with or signed by another key', async () => {
    const { trackingNumber } = await courier.createShipment(shipment('JS-2026-000004'));
    setMode(sim, 'courier', 'garbage');
    try {
      await assert.rejects(courier.track(trackingNumber), (err: unknown) => err instanceof CourierUnavailableError && err.reason === 'bad_signature');
    } finally {
      setMode(sim, 'courier', 'normal');
    }
    const impostorTrusted = createHttpCourier({ baseUrl: url, servicePublicKey: generateSm2KeyPair().publicKey, clientId: client.id, clientPrivateKey: client.privateKey });
    await assert.rejects(impostorTrusted.track(trackingNumber), (err: unknown) => err instanceof CourierUnavailableError && err.reason === 'bad_signature');
    // And the simulator refuses a caller it does not know (a signed 401 is still an outage for us).
    const stranger = createHttpCourier({ baseUrl: url, servicePublicKey: serviceKey.publicKey, clientId: client.id, clientPrivateKey: generateSm2KeyPair().privateKey });
    await assert.rejects(stranger.track(trackingNumber), (err: unknown) => err instanceof CourierUnavailableError && err.reason === 'upstream_error');
  });

  it('is wired as ctx.external.courier: embedded simulators, and always unavailable with VERIFIERS=off', async () => {
    const embedded = await openExternalServices(testConfig({ VERIFIERS: 'embedded' }));
    try {
      const live = courierOf(embedded.external);
      const { trackingNumber } = await live.createShipment(shipment('JS-WIRED-1'));
      assert.equal((await live.track(trackingNumber)).status, 'created');
    } finally {
      await embedded.close();
    }
    const off = await openExternalServices(testConfig({ VERIFIERS: 'off' }));
    await assert.rejects(courierOf(off.external).createShipment(shipment('JS-OFF-1')), (err: unknown) => err instanceof CourierUnavailableError && err.reason === 'not_configured');
    await off.close();
  });
});
