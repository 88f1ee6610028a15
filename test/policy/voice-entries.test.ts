import { describe, expect, it } from 'vitest';
import type { GrantSet } from '../../src/model/desired.js';
import { load, messages, SID1, SID2, yaml } from '../support/policy-helpers.js';

const policy = (...lines: string[]) =>
  yaml('version: 1', 'groups:', '  core: [US, CA, GB]', '  north: [CA]', ...lines);

function voiceLow(text: string, account = 'a'): GrantSet {
  const a = load(text).desired?.accounts.find((x) => x.name === account);
  if (!a || a.voice.inherit) throw new Error('no own voice lists');
  return a.voice.low_risk;
}

describe("voice lists as Twilio's voice list has them (no CA: US is United States/Canada)", () => {
  it('rejects CA named in a voice list without US, saying how Twilio treats Canada', () => {
    const text = policy('accounts:', '  a:', `    sid: ${SID1}`, '    voice: {low_risk: [CA, GB]}');
    expect(messages(text)).toEqual([
      `8:24: error: Twilio's voice list has no CA: Canada is dialled through US "United States/Canada" (+1); accounts.a.voice.low_risk names CA but not US: write US to allow Canada (it opens United States too), or remove CA`,
    ]);
    expect(load(text).desired).toBeNull();
  });

  it('rejects CA reached through a group without US, naming the group', () => {
    const text = policy('accounts:', '  a:', `    sid: ${SID1}`, '    voice: {low_risk: [north]}');
    expect(messages(text)).toEqual([
      `4:11: error: Twilio's voice list has no CA: Canada is dialled through US "United States/Canada" (+1); accounts.a.voice.low_risk names CA (it comes through group:north) but not US: write US to allow Canada (it opens United States too), or remove CA`,
    ]);
  });

  it('warns about CA named beside US (redundant), and grants US only', () => {
    const text = policy('accounts:', '  a:', `    sid: ${SID1}`, '    voice: {low_risk: [US, CA]}');
    expect(messages(text)).toEqual([
      `8:28: warning: Twilio's voice list has no CA: Canada is dialled through US "United States/Canada" (+1), which accounts.a.voice.low_risk already allows: remove CA from accounts.a.voice.low_risk`,
    ]);
    expect(Object.keys(voiceLow(text))).toEqual(['US']);
  });

  it('takes a group shared by voice and messaging (core: [US, CA, GB]) quietly: CA stays in messaging', () => {
    const text = policy(
      'defaults:',
      '  voice: {low_risk: [core]}',
      '  messaging: [core]',
      'accounts:',
      '  a:',
      `    sid: ${SID1}`,
      '  b:',
      `    sid: ${SID2}`,
      '    voice: {low_risk: [continent:NORTH_AMERICA]}',
    );
    expect(messages(text)).toEqual([]);
    expect(Object.keys(voiceLow(text))).toEqual(['GB', 'US']);
    expect(voiceLow(text, 'b').CA).toBeUndefined();
    expect(voiceLow(text, 'b').US).toBeDefined();
    expect(Object.keys(load(text).desired!.accounts[0]!.messaging)).toEqual(['CA', 'GB', 'US']);
  });

  it('leaves a code voice does not list out of a continent quietly, also inside a group (UM in OCEANIA)', () => {
    const text = policy(
      '  apac: [continent:OCEANIA]',
      'accounts:',
      '  a:',
      `    sid: ${SID1}`,
      '    voice: {low_risk: [apac]}',
    );
    expect(messages(text)).toEqual([]);
    expect(voiceLow(text).AU).toBeDefined();
    expect(voiceLow(text).UM).toBeUndefined();
  });

  it('warns that a guard naming CA alone does not reach voice', () => {
    const text = policy('guards:', '  never_enable: [CA]', 'accounts:', '  a:', `    sid: ${SID1}`);
    expect(messages(text)).toEqual([
      `6:18: warning: guards.never_enable names CA, but Twilio's voice list has no CA: Canada is dialled through US "United States/Canada" (+1), so for Canada this guard keeps messaging closed, not voice; add US to guards.never_enable to cover voice too`,
    ]);
  });
});
