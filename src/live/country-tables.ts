import type { LiveMessagingCountry, LiveVoiceCountry } from '../model/live.js';

/**
 * Country tables shared across the accounts of one read. A fleet repeats the same ~250 countries,
 * with the same names, calling codes and mostly the same flags, in every account, and subaccounts
 * under one policy often have identical tables: each distinct record and each distinct table is kept
 * once, frozen, and handed to every account that has it. 1,000 accounts' live state then costs about
 * what their differences cost (DESIGN quality bar: RSS under 256 MB).
 */
export interface CountryTables {
  voice(list: readonly LiveVoiceCountry[]): Readonly<Record<string, LiveVoiceCountry>>;
  messaging(list: readonly LiveMessagingCountry[]): Readonly<Record<string, LiveMessagingCountry>>;
}

/** Bounds on what one read keeps for sharing; past them records and tables are simply not shared. */
const RECORD_LIMIT = 20_000;
const TABLE_LIMIT = 2_000;

export function createCountryTables(): CountryTables {
  const voice = new TableStore(sameVoice);
  const messaging = new TableStore(sameMessaging);
  return { voice: (list) => voice.table(list), messaging: (list) => messaging.table(list) };
}

const sameCodes = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((code, i) => code === b[i]);

const sameVoice = (a: LiveVoiceCountry, b: LiveVoiceCountry) =>
  a.iso === b.iso &&
  a.low_risk === b.low_risk &&
  a.high_risk_special === b.high_risk_special &&
  a.high_risk_tollfraud === b.high_risk_tollfraud &&
  a.name === b.name &&
  a.continent === b.continent &&
  sameCodes(a.callingCodes, b.callingCodes);

const sameMessaging = (a: LiveMessagingCountry, b: LiveMessagingCountry) =>
  a.iso === b.iso && a.enabled === b.enabled && a.prefix === b.prefix && a.message === b.message;

interface StoredTable<T> {
  records: readonly T[];
  table: Readonly<Record<string, T>>;
}

class TableStore<T extends { iso: string }> {
  /** Distinct records by country code, each with its number (for table hashes). */
  private readonly records = new Map<string, T[]>();
  private readonly ids = new Map<T, number>();
  /** Distinct tables by a hash of their records' numbers. */
  private readonly tables = new Map<number, StoredTable<T>[]>();
  private tableCount = 0;

  constructor(private readonly same: (a: T, b: T) => boolean) {}

  table(list: readonly T[]): Readonly<Record<string, T>> {
    const shared = new Array<T>(list.length);
    let hash = list.length;
    for (let i = 0; i < list.length; i++) {
      const record = this.record(list[i] as T);
      shared[i] = record;
      hash = (Math.imul(hash, 31) + (this.ids.get(record) ?? -1)) | 0;
    }
    const candidates = this.tables.get(hash);
    const known = candidates?.find((c) => sameItems(c.records, shared));
    if (known) return known.table;
    // Built by assignment: Object.fromEntries keeps a 250-key object in fast mode and copies its
    // property array on every insert, about 80 KB of garbage per table.
    const table: Record<string, T> = {};
    for (const record of shared) table[record.iso] = record;
    if (this.tableCount >= TABLE_LIMIT) return table;
    this.tableCount++;
    const stored = { records: shared, table: Object.freeze(table) };
    if (candidates) candidates.push(stored);
    else this.tables.set(hash, [stored]);
    return stored.table;
  }

  private record(item: T): T {
    const known = this.records.get(item.iso);
    if (known) for (const record of known) if (this.same(record, item)) return record;
    if (this.ids.size >= RECORD_LIMIT) return item;
    const record = Object.freeze(item);
    this.ids.set(record, this.ids.size);
    if (known) known.push(record);
    else this.records.set(item.iso, [record]);
    return record;
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
