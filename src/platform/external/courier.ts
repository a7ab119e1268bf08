// Delivery by post (邮寄送达): the courier company's shipment API. Domain code sees only
// CourierService; the HTTP adapter speaks the same SM2 signed-message protocol as the identity
// verifiers (wire.ts), and anything but a verified, well-formed answer is CourierUnavailableError,
// so a tampered or failing upstream can never invent a tracking number or a "delivered".
import { sm2PrivateKeyFromPem, sm2PublicKey, sm2PublicKeyFromPrivate } from '../crypto/sm2.ts';
import { signedRequestHeaders, verifySignedResponse, type ClientIdentity } from './wire.ts';

export const SHIPMENT_STATUSES = ['created', 'picked_up', 'in_transit', 'delivering', 'delivered', 'returned'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const SHIPMENT_STATUS_LABELS: Record<ShipmentStatus, string> = {
  created: '已下单',
  picked_up: '已揽收',
  in_transit: '运输中',
  delivering: '派送中',
  delivered: '已签收',
  returned: '已退回',
};

export interface ShipmentParty {
  name: string;
  phone: string;
  address: string;
}

export interface CreateShipmentInput {
  /** Our reference (e.g. the case number): the courier echoes it, and the same one twice is one shipment. */
  reference: string;
  sender: ShipmentParty;
  recipient: ShipmentParty & { regionCode: string };
}

export interface Tracking {
  status: ShipmentStatus;
  events: { at: Date; text: string }[];
}

export interface CourierService {
  createShipment(input: CreateShipmentInput): Promise<{ trackingNumber: string; labelPdf?: Buffer }>;
  track(trackingNumber: string): Promise<Tracking>;
}

/** The courier answered, but not with a usable result: timeout, refusal, bad signature, 5xx. */
export class CourierUnavailableError extends Error {
  readonly reason: 'timeout' | 'network' | 'bad_signature' | 'upstream_error' | 'bad_response' | 'not_configured';
  constructor(reason: CourierUnavailableError['reason'], message?: string) {
    super(message ?? `courier unavailable: ${reason}`);
    this.reason = reason;
  }
}

export const TRACKING_NUMBER = /^SF\d{12}$/;

declare module '../module.ts' {
  interface ExternalServices {
    /**
     * Optional only so that contexts built without configuration (a bare buildApp) still
     * type-check; read it through courierOf(), which falls back to the unavailable adapter.
     */
    courier?: CourierService;
  }
}

/** The configured courier, or one that is always unavailable. */
export function courierOf(external: { courier?: CourierService }): CourierService {
  return external.courier ?? unavailableCourier();
}

/** What the platform uses with VERIFIERS=off: every call is an outage, nothing is ever shipped. */
export function unavailableCourier(): CourierService {
  const down = async (): Promise<never> => {
    throw new CourierUnavailableError('not_configured', 'courier: no service configured');
  };
  return { createShipment: down, track: down };
}

export interface HttpCourierOptions {
  baseUrl: string;
  /** The courier's response-signing SM2 public key (hex or PEM). */
  servicePublicKey: string;
  clientId: string;
  /** Our SM2 private key (hex or PEM). */
  clientPrivateKey: string;
  /** Per-call time limit; default 3000 ms. */
  timeoutMs?: number;
}

export function createHttpCourier(options: HttpCourierOptions): CourierService {
  const privateKey = options.clientPrivateKey.includes('-----BEGIN') ? sm2PrivateKeyFromPem(options.clientPrivateKey) : options.clientPrivateKey.toLowerCase();
  const client: ClientIdentity = { id: options.clientId, privateKey, publicKey: sm2PublicKeyFromPrivate(privateKey) };
  const key = sm2PublicKey(options.servicePublicKey);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 3000;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
    const url = new URL(baseUrl + path);
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
    const { headers, nonce } = signedRequestHeaders(client, method, url.pathname + url.search, payload);
    let res: Response;
    let raw: Buffer;
    try {
      res = await fetch(url, {
        method,
        headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : payload,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      raw = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') throw new CourierUnavailableError('timeout', `courier: no answer within ${timeoutMs} ms`);
      throw new CourierUnavailableError('network', `courier: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.status >= 500) throw new CourierUnavailableError('upstream_error', `courier: upstream answered ${res.status}`);
    if (!verifySignedResponse(key, res.status, nonce, res.headers, raw)) {
      throw new CourierUnavailableError('bad_signature', 'courier: answer not signed by the configured service key');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new CourierUnavailableError('bad_response', 'courier: answer is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CourierUnavailableError('bad_response', 'courier: answer is not an object');
    const record = parsed as Record<string, unknown>;
    if (res.status !== 200) throw new CourierUnavailableError('upstream_error', `courier: upstream refused (${res.status} ${String(record.detail ?? record.title ?? '')})`);
    return record;
  }

  return {
    async createShipment(input) {
      const body = await call('POST', '/courier/v1/shipments', input);
      if (typeof body.trackingNumber !== 'string' || !TRACKING_NUMBER.test(body.trackingNumber)) {
        throw new CourierUnavailableError('bad_response', 'courier: answer lacks a tracking number');
      }
      const label = typeof body.labelPdf === 'string' ? Buffer.from(body.labelPdf, 'base64') : undefined;
      return { trackingNumber: body.trackingNumber, ...(label?.length ? { labelPdf: label } : {}) };
    },
    async track(trackingNumber) {
      if (!TRACKING_NUMBER.test(trackingNumber)) throw new CourierUnavailableError('bad_response', 'courier: not a tracking number');
      const body = await call('GET', `/courier/v1/shipments/${trackingNumber}`);
      const status = body.status as ShipmentStatus;
      if (!SHIPMENT_STATUSES.includes(status) || !Array.isArray(body.events)) throw new CourierUnavailableError('bad_response', 'courier: answer lacks status or events');
      const events = (body.events as unknown[]).map((e) => {
        const ev = e as { at?: unknown; text?: unknown };
        const at = new Date(String(ev.at));
        if (Number.isNaN(at.getTime()) || typeof ev.text !== 'string') throw new CourierUnavailableError('bad_response', 'courier: malformed tracking event');
        return { at, text: ev.text };
      });
      return { status, events };
    },
  };
}
