import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { hasErrors, sortDiagnostics, visible } from '../model/diagnostics.js';
import type { DesiredState } from '../model/desired.js';
import { SuggestionSearch } from '../catalog/index.js';
import type { LoadMode } from './expand.js';
import { issuesToDiagnostics } from './issues.js';
import { normalizePolicy } from './normalize.js';
import { parseYaml } from './parse.js';
import { describeValue, isRecord, literal } from './paths.js';
import { policySchema, SUPPORTED_VERSION } from './schema.js';
import { DiagnosticSink } from './sink.js';

export type { LoadMode } from './expand.js';

export interface LoadOptions {
  /** Injected so expiry is decided by the caller's clock, never read here. */
  now: Date;
  /** 'validate' reports expired exceptions as errors; 'plan' treats them as absent with a warning. */
  mode: LoadMode;
  /** The did-you-mean search and its budget; a fresh one per load unless given (tests read its counts). */
  suggestions?: SuggestionSearch;
}

export interface LoadResult {
  /** Null when there is any error. */
  desired: DesiredState | null;
  /** Errors and warnings, sorted by position. */
  diagnostics: Diagnostic[];
}

/** Policy text -> desired state, or every problem in the file at once. Pure: no fs, no clock. */
export function loadPolicy(text: string, file: string, options: LoadOptions): LoadResult {
  const at1 = { file, line: 1, column: 1 };
  if (text.trim() === '') {
    return fail([
      {
        severity: 'error',
        message: `the policy file is empty: start it with "version: ${SUPPORTED_VERSION}" and an "accounts:" mapping (see the policy reference in README.md)`,
        location: at1,
      },
    ]);
  }
  const result = parseYaml(text, file);
  if (!result.ok) return fail(result.diagnostics);
  const { parsed } = result;
  const root = parsed.value;
  if (root === null || root === undefined) {
    return fail([
      {
        severity: 'error',
        message: `the policy file holds no YAML content: add "version: ${SUPPORTED_VERSION}" and an "accounts:" mapping`,
        location: at1,
      },
    ]);
  }
  if (!isRecord(root)) {
    return fail([
      {
        severity: 'error',
        message: `the policy must be a mapping with "version", "accounts" and optional "groups", "defaults", "guards" at the top level, not ${describeValue(root)}`,
        location: parsed.locate([]),
      },
    ]);
  }

  const sink = new DiagnosticSink();
  result.diagnostics.forEach((d) => sink.add(d));
  const version = versionProblem(root.version, parsed.locate(root.version === undefined ? [] : ['version']));
  // Another version may be another language: report only that, rather than noise about the rest.
  if (version && root.version !== undefined) return fail([version]);
  if (version) sink.add(version);
  const check = policySchema.safeParse(root);
  if (!check.success) {
    const issues = check.error.issues.filter((i) => i.path[0] !== 'version');
    issuesToDiagnostics(issues, policySchema, parsed).forEach((d) => sink.add(d));
  }

  const suggestions = options.suggestions ?? new SuggestionSearch();
  const desired = normalizePolicy(root, parsed, sink, { ...options, suggestions });
  const diagnostics = finish(sink.all());
  if (hasErrors(diagnostics)) return { desired: null, diagnostics };
  return {
    desired: { ...desired, file, warnings: diagnostics.filter((d) => d.severity === 'warning') },
    diagnostics,
  };
}

function versionProblem(version: unknown, location: SourceLocation): Diagnostic | null {
  if (version === SUPPORTED_VERSION) return null;
  const message =
    version === undefined
      ? `missing "version: ${SUPPORTED_VERSION}": add it as the first line of the policy`
      : `unsupported policy version ${literal(version)}: this build reads version ${SUPPORTED_VERSION}; write "version: ${SUPPORTED_VERSION}" (a plain number) or upgrade geo-permissions`;
  return { severity: 'error', message, location };
}

function fail(diagnostics: Diagnostic[]): LoadResult {
  return { desired: null, diagnostics: finish(diagnostics) };
}

/**
 * Sorted, and each message one printable line whatever it quotes: the CLI, the annotations and the job
 * summary all show these messages, and each quote of the user's text is already a short excerpt.
 */
function finish(diagnostics: Diagnostic[]): Diagnostic[] {
  return sortDiagnostics(diagnostics.map((d) => ({ ...d, message: visible(d.message) })));
}
