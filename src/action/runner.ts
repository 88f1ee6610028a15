import { appendFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { EOL } from 'node:os';

/**
 * The runner's workflow commands (inputs, outputs, masks, annotations, summary), written as the runner
 * documents them and as @actions/core emits them. The action speaks them directly because importing
 * @actions/core loads its HTTP client (undici) at startup: about 100 ms and 0.4 MB that the validate
 * path, which must finish in under 300 ms, never uses.
 */

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(
  name: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): void {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/** Reads an input as the runner passes it: INPUT_<NAME> with spaces as underscores, hyphens kept, trimmed. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) {
    process.stdout.write(EOL);
    command('set-output', { name }, value);
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`output ${name} contains the delimiter ${delimiter}`);
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** Registers a secret with the runner so no later log line shows it. */
export function setSecret(secret: string): void {
  if (secret) command('add-mask', {}, secret);
}

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

const annotationProps = (p: AnnotationProperties = {}) => ({
  title: p.title,
  file: p.file,
  line: p.startLine,
  col: p.startColumn,
});

export const error = (message: string, p?: AnnotationProperties): void =>
  command('error', annotationProps(p), message);
export const warning = (message: string, p?: AnnotationProperties): void =>
  command('warning', annotationProps(p), message);
export const notice = (message: string, p?: AnnotationProperties): void =>
  command('notice', annotationProps(p), message);
export const debug = (message: string): void => command('debug', {}, message);
export const info = (message: string): void => void process.stdout.write(message + EOL);

/** Marks the step failed (exit code 1) with an error annotation; the process still ends on its own. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Writes the job summary of this step, replacing what it wrote before; false outside a runner. */
export function writeStepSummary(markdown: string): boolean {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  writeFileSync(file, markdown, 'utf8');
  return true;
}
