import type { Contact, ListSection } from '@kabar/core';

/** One row of the Contacts collection, as n8n hands it over. */
export interface ContactRow {
  name?: string;
  phones?: string;
  emails?: string;
  company?: string;
}

/** A comma-separated field as its non-empty parts. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** The Contacts collection as vCards; core checks the rest (a name is required). */
export function contactsFrom(rows: ContactRow[]): Contact[] {
  return rows.map((row) => {
    const phones = list(row.phones).map((phone) => ({ phone }));
    const emails = list(row.emails).map((email) => ({ email }));
    const company = row.company?.trim();
    return {
      name: { formattedName: row.name?.trim() ?? '' },
      ...(phones.length > 0 ? { phones } : {}),
      ...(emails.length > 0 ? { emails } : {}),
      ...(company ? { org: { company } } : {}),
    };
  });
}

/** One row of the list message's Rows collection. */
export interface ListRowInput {
  id: string;
  title: string;
  description?: string;
  section?: string;
}

/**
 * The rows grouped into sections by their Section field, in the order each section first appears;
 * rows without one form an untitled section (the only section of lists saved before the field).
 */
export function sectionsFrom(rows: ListRowInput[]): ListSection[] {
  const sections = new Map<string, ListSection>();
  for (const { id, title, description, section } of rows) {
    const key = section?.trim() ?? '';
    const group = sections.get(key) ?? { ...(key ? { title: key } : {}), rows: [] };
    group.rows.push({ id, title, ...(description ? { description } : {}) });
    sections.set(key, group);
  }
  return sections.size > 0 ? [...sections.values()] : [{ rows: [] }];
}
