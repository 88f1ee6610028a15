import type { SourceLocation } from '../model/diagnostics.js';
import { excerpt } from '../model/diagnostics.js';
import type { ExceptionInfo } from '../model/desired.js';
import { CONTINENTS, countriesOnContinent, countryInfo, suggestCountry } from '../catalog/index.js';
import type { Continent, NameSuggester, SuggestionSearch } from '../catalog/index.js';
import type { ParsedYaml, PolicyPath } from './parse.js';
import { formatPath, isRecord } from './paths.js';
import { daysUntil, parseIsoDate } from './dates.js';
import type { DiagnosticSink } from './sink.js';

export type LoadMode = 'validate' | 'plan';

/** One country reached by one list entry. A list may reach the same country through several entries. */
export interface Entry {
  country: string;
  location: SourceLocation;
  /** Path from the list to the entry: group and continent names, e.g. ["group:core", "continent:EUROPE"]. */
  via: string[];
  exception: (ExceptionInfo & { daysLeft: number }) | null;
}

export interface ExpandOptions {
  now: Date;
  mode: LoadMode;
  /** The policy's one did-you-mean search and its budget. */
  suggestions: SuggestionSearch;
  /** The policy's `expiry_warning_days` (ExpiryRule.warningDays): an exception this close to its end warns. */
  warningDays: number;
}

/**
 * Resolves list entries (codes, groups, continents, exceptions) into countries, reporting every bad
 * entry at its own line. Each group is expanded once (memoized), so nesting cannot blow up.
 */
export class ListExpander {
  private readonly groups: Record<string, unknown>;
  private readonly memo = new Map<string, Entry[]>();
  private readonly visiting: string[] = [];
  private readonly groupSuggester: NameSuggester;

  constructor(
    groups: unknown,
    private readonly parsed: ParsedYaml,
    private readonly sink: DiagnosticSink,
    private readonly options: ExpandOptions,
  ) {
    this.groups = isRecord(groups) ? groups : {};
    this.groupSuggester = options.suggestions.among(this.groupNames());
  }

  groupNames(): string[] {
    return Object.keys(this.groups);
  }

  /** Checks every group, used or not, so a mistake in an unused group is still reported. */
  checkAllGroups(): void {
    for (const name of this.groupNames()) {
      if (/^[A-Z]{2}$/.test(name) || name.startsWith('continent:')) {
        this.sink.error(
          this.parsed.locate(['groups', name], 'key'),
          `group name "${excerpt(name)}" looks like a country code or continent and would be ambiguous: rename the group (e.g. "${excerpt(name.toLowerCase())}-group")`,
        );
      }
      this.group(name, null);
    }
  }

  /** The countries `items` (the raw list at `path`) reaches; non-list values yield nothing (zod reports them). */
  list(path: PolicyPath, items: unknown, allowExceptions = true): Entry[] {
    if (!Array.isArray(items)) return [];
    return items.flatMap((item, i) => this.entry([...path, i], item, allowExceptions));
  }

  private entry(path: PolicyPath, item: unknown, allowExceptions: boolean): Entry[] {
    const at = this.parsed.locate(path);
    if (typeof item === 'string') return this.word(item, at, path);
    if (isRecord(item) && allowExceptions) return this.exception(path, item, at);
    return []; // wrong type: reported by the schema
  }

  private word(word: string, at: SourceLocation, path: PolicyPath): Entry[] {
    if (word.startsWith('continent:')) return this.continent(word.slice('continent:'.length), at);
    if (Object.hasOwn(this.groups, word))
      return this.group(word, at).map((e) => ({ ...e, via: [`group:${word}`, ...e.via] }));
    const code = this.countryCode(word, at, path, true);
    return code ? [{ country: code, location: at, via: [], exception: null }] : [];
  }

  /** A known upper-case ISO code, or null after reporting what the word probably meant. */
  private countryCode(
    word: string,
    at: SourceLocation,
    path: PolicyPath,
    groupsAllowed: boolean,
  ): string | null {
    if (/^[A-Z]{2}$/.test(word) && countryInfo(word)) return word;
    const where = formatPath(path);
    const upper = word.toUpperCase();
    if (/^[a-z]{2}$/i.test(word) && countryInfo(upper)) {
      this.sink.error(at, `country codes are upper-case: write "${upper}" instead of "${word}" in ${where}`);
      return null;
    }
    if ((CONTINENTS as readonly string[]).includes(upper.replace(/[\s-]/g, '_')) && groupsAllowed) {
      this.sink.error(
        at,
        `"${excerpt(word)}" is a continent: write "continent:${upper.replace(/[\s-]/g, '_')}" in ${where}`,
      );
      return null;
    }
    const suggestion = suggestCountry(word, this.options.suggestions);
    if (/^[A-Z]{2}$/.test(word)) {
      const hint = suggestion
        ? ` (did you mean "${suggestion}"?)`
        : ': use an ISO 3166-1 alpha-2 code such as "US"';
      this.sink.error(at, `unknown country code "${word}"${hint}`);
      return null;
    }
    if (suggestion) {
      this.sink.error(
        at,
        `unknown ${groupsAllowed ? 'country code or group' : 'country code'} "${excerpt(word)}" (did you mean "${suggestion}"?)`,
      );
      return null;
    }
    // Null past the policy's suggestion budget too: the error is still reported, only without the hint.
    const group = groupsAllowed
      ? this.groupSuggester.nearest(word, Math.max(1, Math.floor(word.length / 3)))
      : null;
    if (group) {
      this.sink.error(at, `unknown group "${excerpt(word)}" (did you mean "${excerpt(group)}"?)`);
    } else if (groupsAllowed) {
      this.sink.error(
        at,
        `unknown group or country code "${excerpt(word)}": define it under "groups:", or use an ISO code such as "US" or "continent:EUROPE"`,
      );
    } else {
      this.sink.error(
        at,
        `unknown country code "${excerpt(word)}": an exception names one ISO 3166-1 alpha-2 code such as "BR"`,
      );
    }
    return null;
  }

  private continent(name: string, at: SourceLocation): Entry[] {
    if ((CONTINENTS as readonly string[]).includes(name)) {
      return countriesOnContinent(name as Continent).map((country) => ({
        country,
        location: at,
        via: [`continent:${name}`],
        exception: null,
      }));
    }
    const normalized = name.toUpperCase().replace(/[\s-]/g, '_');
    const near = (CONTINENTS as readonly string[]).includes(normalized)
      ? normalized
      : this.options.suggestions.nearest(normalized, CONTINENTS, 3);
    const hint = near ? ` (did you mean "continent:${near}"?)` : `: use one of ${CONTINENTS.join(', ')}`;
    this.sink.error(at, `unknown continent "${excerpt(name)}"${hint}`);
    return [];
  }

  /** `from` is where the group is used (null when checking the definition itself). */
  private group(name: string, from: SourceLocation | null): Entry[] {
    const cached = this.memo.get(name);
    if (cached) return cached;
    if (this.visiting.includes(name)) {
      const cycle = cycleText([...this.visiting.slice(this.visiting.indexOf(name)), name]);
      this.sink.error(
        from ?? this.parsed.locate(['groups', name], 'key'),
        `group cycle ${cycle}: a group may not include itself; remove one of these references`,
      );
      return [];
    }
    this.visiting.push(name);
    const entries = this.list(['groups', name], this.groups[name]);
    this.visiting.pop();
    this.memo.set(name, entries);
    return entries;
  }

  private exception(path: PolicyPath, item: Record<string, unknown>, at: SourceLocation): Entry[] {
    const { country, expires, reason, ticket } = item;
    if (typeof country !== 'string' || typeof expires !== 'string') return []; // reported by the schema
    const countryAt = this.parsed.locate([...path, 'country']);
    const code = this.countryCode(country, countryAt, [...path, 'country'], false);
    const expiresMs = parseIsoDate(expires);
    if (!code || expiresMs === null) return []; // an invalid date is reported by the schema
    const daysLeft = daysUntil(expiresMs, this.options.now);
    const expiresAt = this.parsed.locate([...path, 'expires']);
    if (daysLeft < 0) {
      const days = -daysLeft === 1 ? '1 day' : `${-daysLeft} days`;
      if (this.options.mode === 'validate') {
        this.sink.error(
          expiresAt,
          `exception for ${code} expired on ${expires} (${days} ago): remove it, or extend "expires" if it is still needed`,
        );
      } else {
        this.sink.warning(
          expiresAt,
          `exception for ${code} expired on ${expires} (${days} ago) and is treated as absent (disabled): remove it, or extend "expires"`,
        );
      }
    } else if (daysLeft <= this.options.warningDays) {
      const when =
        daysLeft === 0 ? 'today (last day it counts)' : daysLeft === 1 ? 'in 1 day' : `in ${daysLeft} days`;
      this.sink.warning(
        expiresAt,
        `exception for ${code} expires on ${expires}, ${when}: extend "expires" or plan for ${code} to be disabled`,
      );
    }
    return [
      {
        country: code,
        location: at,
        via: [],
        exception: {
          expires,
          reason: typeof reason === 'string' ? reason : null,
          ticket: typeof ticket === 'string' || typeof ticket === 'number' ? String(ticket) : null,
          daysLeft,
        },
      },
    ];
  }
}

/** A group cycle as `a -> b -> a`, each name a short excerpt and long cycles shortened in the middle. */
function cycleText(names: string[]): string {
  const quoted = names.map((n) => excerpt(n, 40));
  return (quoted.length > 8 ? [...quoted.slice(0, 4), '…', ...quoted.slice(-3)] : quoted).join(' -> ');
}
