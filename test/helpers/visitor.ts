/** A browser's cookie jar and the page's anti-forgery token over Fastify's inject, for the web's HTTP tests. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

export class Visitor {
  cookie = '';
  csrf = '';

  constructor(private readonly app: FastifyInstance) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const r = await this.app.inject({ method: 'GET', url, headers: { ...headers, ...(this.cookie ? { cookie: this.cookie } : {}) } });
    this.keep(r.headers['set-cookie']);
    const token = /name="csrf-token" content="([^"]+)"/.exec(r.body)?.[1];
    if (token) this.csrf = token;
    return r;
  }

  async post(url: string, form: Record<string, string>, options: { csrf?: boolean; htmx?: boolean } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ ...form, ...(options.csrf === false ? {} : { _csrf: this.csrf }) }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...(options.htmx ? { 'hx-request': 'true' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}) };
    const r = await this.app.inject({ method: 'POST', url, payload: body, headers });
    this.keep(r.headers['set-cookie']);
    return r;
  }

  private keep(setCookie: string | string[] | undefined) {
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (first) this.cookie = first.split(';')[0]!;
  }
}

/** A visitor signed in through the sign-in form, having opened the dashboard. */
export async function signedInVisitor(app: FastifyInstance, name: string, password: string): Promise<Visitor> {
  const v = new Visitor(app);
  await v.get('/login');
  const r = await v.post('/login', { username: name, password, next: '/' });
  expect(r.statusCode, r.body).toBe(303);
  await v.get('/');
  return v;
}
