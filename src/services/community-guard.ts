/**
 * A district's community keeps its cases to itself: every service of its Office refuses a person
 * of another community ('other-community'), whatever the face that called it (web, CLI, jobs).
 * Every service method that acts for a person takes that person first (an Actor); a district's
 * user (community null), the terminal and the program's own calls (no community) pass, and the
 * person's role then holds as in any office.
 */
import type { Actor } from '../domain/case.js';
import { fail } from '../domain/problems.js';

/** The Office's members that are services (everything an actor is handed to). */
const SERVICES = [
  'cases', 'workflow', 'documents', 'binding', 'records', 'reports', 'users', 'alerts', 'audit', 'templates', 'officeSettings',
  'inbox', 'pageImages', 'corrections', 'duties', 'assessment', 'signs', 'roster',
] as const;

/** 'other-community' unless this person may act in the community `code`. */
export function mustBelong(actor: Pick<Actor, 'community'> | undefined, code: string, name: string, nameOf: (code: string) => string = (c) => c): void {
  const theirs = actor?.community;
  if (typeof theirs === 'string' && theirs !== code) fail({ code: 'other-community', community: nameOf(theirs), asked: name });
}

/**
 * The office with each of its services behind the check: a call whose first argument is a person
 * of another community is refused before the service runs (a rejected promise for an async
 * method, as the method itself would give).
 */
export function keptToCommunity<O extends object>(office: O, community: { code: string; name: string }, nameOf?: (code: string) => string): O {
  const guarded = new Map<string, object>();
  for (const key of SERVICES) {
    const service = (office as Record<string, unknown>)[key];
    if (service && typeof service === 'object') guarded.set(key, guard(service, community, nameOf));
  }
  return new Proxy(office, {
    get(target, key, receiver) {
      return (typeof key === 'string' && guarded.get(key)) || Reflect.get(target, key, receiver);
    },
  });
}

function guard<S extends object>(service: S, community: { code: string; name: string }, nameOf?: (code: string) => string): S {
  return new Proxy(service, {
    get(target, key) {
      const member = Reflect.get(target, key, target) as unknown;
      if (typeof member !== 'function') return member;
      const method = member as (...args: unknown[]) => unknown;
      const isAsync = method.constructor.name === 'AsyncFunction';
      return (...args: unknown[]) => {
        const first = args[0];
        if (first && typeof first === 'object' && 'community' in first) {
          try {
            mustBelong(first as Actor, community.code, community.name, nameOf);
          } catch (e) {
            if (isAsync) return Promise.reject(e);
            throw e;
          }
        }
        return method.apply(target, args);
      };
    },
  });
}
