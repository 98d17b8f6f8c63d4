/**
 * The leading group's duty roster (值班表: on each day, who is on duty and their phone) and its
 * contact list (通讯录: name, post, phones, reachable day and night). Both are kept in the
 * registry, not the settings: they change week by week, a leader or the administrator edits them
 * from the browser or the terminal without a restart, and each line keeps who wrote it and when.
 * The urgent alert names who is on duty the day it is raised. Pure rules: no I/O.
 */
import type { Actor } from './case.js';
import { fail } from './problems.js';

export interface DutyShift {
  id: number;
  /** Local day, 2026-12-10. */
  day: string;
  person: string;
  /** As given; empty when the contact list has the person's phone. */
  phone: string;
  /** 带班领导, 值班员, … (free text, may be empty). */
  post: string;
  by: string;
  at: string;
}

export type NewDutyShift = Omit<DutyShift, 'id'>;

export interface Contact {
  id: number;
  name: string;
  post: string;
  /** Office phone, mobile, home: as many as given, each reachable in its hours; the first is called first. */
  phones: string[];
  by: string;
  at: string;
}

export type NewContact = Omit<Contact, 'id'>;

/** Who is on duty, as the alert names them. */
export interface OnDuty {
  name: string;
  phone: string;
}

/** The roster and contacts: seen by every member of staff (not an informant); edited by a leader or the administrator. */
export type RosterAction = 'see-roster' | 'edit-roster';

const ROSTER_ROLES: Readonly<Record<RosterAction, readonly string[]>> = {
  'see-roster': ['登记员', '领导', '经办人', '档案员', '管理员'],
  'edit-roster': ['领导', '管理员'],
};

export function mayDoRoster(actor: Actor, action: RosterAction): boolean {
  return actor.role === undefined || ROSTER_ROLES[action].includes(actor.role);
}

/** Phones as typed: split on commas, 、, ; or spaces; each trimmed; none empty. */
export function phonesOf(given: string | readonly string[]): string[] {
  const parts = typeof given === 'string' ? given.split(/[,，、;；\s]+/) : given.flatMap((g) => g.split(/[,，、;；]+/));
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function checkShift(input: { person?: string; phone?: string; post?: string }): { person: string; phone: string; post: string } {
  const person = (input.person ?? '').trim();
  if (!person) fail({ code: 'roster-missing', what: 'person' });
  return { person, phone: (input.phone ?? '').trim(), post: (input.post ?? '').trim() };
}

export function checkContact(input: { name?: string; post?: string; phones?: string | readonly string[] }): { name: string; post: string; phones: string[] } {
  const name = (input.name ?? '').trim();
  const post = (input.post ?? '').trim();
  const phones = phonesOf(input.phones ?? '');
  if (!name) fail({ code: 'roster-missing', what: 'name' });
  if (!post) fail({ code: 'roster-missing', what: 'post' });
  if (phones.length === 0) fail({ code: 'roster-missing', what: 'phone' });
  return { name, post, phones };
}

/**
 * Who is on duty on a day, in the order they were put on the roster; a shift written without a
 * phone takes the person's first phone from the contact list.
 */
export function onDutyOn(day: string, shifts: readonly DutyShift[], contacts: readonly Contact[]): OnDuty[] {
  return shifts
    .filter((s) => s.day === day)
    .sort((a, b) => a.id - b.id)
    .map((s) => ({ name: s.person, phone: s.phone || contacts.find((c) => c.name === s.person)?.phones[0] || '' }));
}

/** The on-duty people as one phrase: 张主任（13800000000）、李文. */
export function onDutyText(people: readonly OnDuty[]): string {
  return people.map((p) => (p.phone ? `${p.name}（${p.phone}）` : p.name)).join('、');
}
