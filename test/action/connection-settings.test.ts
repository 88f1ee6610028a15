import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionSettings, secretValues } from '../../src/action/settings.js';

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('twilio-region, twilio-edge and the runner proxy', () => {
  it('reads the inputs, else TWILIO_REGION / TWILIO_EDGE, once into the settings', () => {
    expect(readActionSettings(reader({}), {}).twilio.location).toEqual({ region: null, edge: null });
    const inputs = reader({ 'twilio-region': 'ie1', 'twilio-edge': 'dublin' });
    expect(readActionSettings(inputs, { TWILIO_REGION: 'au1' }).twilio.location).toEqual({
      region: 'ie1',
      edge: 'dublin',
    });
    expect(
      readActionSettings(reader({}), { TWILIO_REGION: 'au1', TWILIO_EDGE: 'sydney' }).twilio.location,
    ).toEqual({
      region: 'au1',
      edge: 'sydney',
    });
  });

  it('refuses a region other than us1 without its edge, before any request', () => {
    expect(() => readActionSettings(reader({ 'twilio-region': 'ie1' }), {})).toThrow(
      'Invalid action inputs:\n- twilio-region is ie1 but twilio-edge (or TWILIO_EDGE) is not set',
    );
  });

  it('reads the runner proxy and masks its password', () => {
    const s = readActionSettings(reader({}), {
      https_proxy: 'http://ci:pa55@proxy.corp:3128',
      NO_PROXY: '.corp',
    });
    expect(s.twilio.proxy).toEqual({ https: 'http://ci:pa55@proxy.corp:3128', http: null, noProxy: '.corp' });
    expect(secretValues(s)).toEqual(
      expect.arrayContaining(['pa55', Buffer.from('ci:pa55').toString('base64')]),
    );
    expect(() => readActionSettings(reader({}), { HTTPS_PROXY: 'proxy.corp' })).toThrow(
      '- HTTPS_PROXY must be an http:// or https:// proxy URL',
    );
  });

  it('declares both inputs in action.yml', async () => {
    const action = parse(await readFile(new URL('../../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, { description: string }>;
    };
    expect(action.inputs['twilio-region']?.description).toContain(
      'valid only in the region they were made in',
    );
    expect(action.inputs['twilio-edge']?.description).toContain('required with a region other than us1');
  });
});
