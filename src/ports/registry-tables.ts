/**
 * The registry's tables read and written as they are, below the store port: for moving a
 * community's archive from one store to another (services/migrate.ts). Both adapters' schemas have
 * the same tables and columns at the same step, so a table is copied row for row, ids kept.
 */

/** A table the registry holds, in the order a copy inserts them (a row's references before it); `key`: the columns a row is found and ordered by. */
export interface RegistryTable {
  name: string;
  key: readonly string[];
  /** Has an `id` drawn from a sequence (PostgreSQL: an identity column to move past the copied ids). */
  identity: boolean;
}

const t = (name: string, key: readonly string[] = ['id']): RegistryTable => ({ name, key, identity: key.length === 1 && key[0] === 'id' });

/** Everything the office's registry holds, in dependency order. */
export const REGISTRY_TABLES: readonly RegistryTable[] = [
  t('cases'),
  t('pages', ['case_id', 'page_no']),
  t('documents'),
  t('field_edits'),
  t('history', ['case_id', 'seq']),
  t('line_corrections'),
  t('volumes'),
  t('counters', ['name', 'year']),
  t('users'),
  t('uploads'),
  t('sign_reports'),
  t('alerts'),
  t('alert_recipients', ['alert_id', 'role', 'user_name']),
  t('alert_reads'),
  t('template_versions'),
  t('audit'),
  t('reception_days'),
  t('duty_links'),
  t('screenings'),
  t('duty_roster'),
  t('contacts'),
];

/**
 * Tables not moved: each store's own bookkeeping and derived data (the schema's version, the
 * search index, SQLite's change counter), what lasts only while a person is signed in (sessions,
 * failed sign-ins), and the file journal (settled when the archive is opened, before the copy).
 */
export const NOT_MOVED: readonly string[] = ['schema_version', 'case_search', 'cases_version', 'sessions', 'sign_in_failures', 'file_journal'];

/** A row as the stores give it: numbers, text and null, by column name. */
export type RawRow = Record<string, string | number | null>;

/** The registry read table by table, in one consistent snapshot. */
export interface RegistryReader {
  /** The schema's step (SQLite: user_version; PostgreSQL: the last step in schema_version). */
  schemaStep(): Promise<number>;
  /** Every table of the schema, with its columns (the store's own tables included). */
  tableColumns(): Promise<Map<string, string[]>>;
  count(table: RegistryTable): Promise<number>;
  /** The rows in key order, a batch at a time. */
  rows(table: RegistryTable, columns: readonly string[]): AsyncIterable<RawRow[]>;
  close(): Promise<void>;
}

export interface CopyProgress {
  /** A table's rows are all inserted (inside the transaction: throwing here undoes the whole copy). */
  copied?(table: string, rows: number): void | Promise<void>;
}

/** A registry the tables are copied into. */
export interface RegistryWriter extends RegistryReader {
  /**
   * In one transaction: every table's rows inserted as they come, ids kept; the sequences moved
   * past the copied ids; the store's derived data (the search index) made for the copied cases.
   * Any failure, a progress callback's included, leaves the registry as it was.
   */
  copyIn(tables: { table: RegistryTable; columns: readonly string[]; rows: AsyncIterable<RawRow[]> }[], progress?: CopyProgress): Promise<void>;
}
