import { describe, expect, it } from 'vitest';
import { load, messages, SID1, yaml } from '../support/policy-helpers.js';

const base = ['version: 1', 'accounts:', '  production:', `    sid: ${SID1}`, '    voice: {low_risk: [US]}'];

describe('fleets: and unmanaged: in the policy', () => {
  it('loads a template with its parent, match, except and profile', () => {
    const text = yaml(
      ...base,
      'fleets:',
      '  customers:',
      '    parent: production',
      '    match: "cust-*"',
      '    except: ["cust-internal-*"]',
      '    voice: {low_risk: [US, GB]}',
      '    messaging: [US]',
      'unmanaged: {enforce: customers}',
    );
    const { desired, diagnostics } = load(text);
    expect(diagnostics).toEqual([]);
    const [fleet] = desired!.fleets!;
    expect(fleet).toMatchObject({
      name: 'customers',
      parent: 'production',
      parentSid: SID1,
      match: ['cust-*'],
      except: ['cust-internal-*'],
      location: { line: 7 },
    });
    expect(fleet!.voice.inherit).toBe(false);
    expect(Object.keys((fleet!.voice as { low_risk: object }).low_risk).sort()).toEqual(['GB', 'US']);
    expect(Object.keys(fleet!.messaging)).toEqual(['US']);
    expect(desired!.unmanaged).toMatchObject({ mode: 'enforce', fleet: 'customers' });
  });

  it('match: all covers every subaccount; inherit: true is a profile', () => {
    const { desired } = load(
      yaml(
        ...base,
        'fleets:',
        '  all-subs:',
        '    parent: production',
        '    match: all',
        '    voice: {inherit: true}',
      ),
    );
    expect(desired!.fleets![0]).toMatchObject({ match: null, except: [], voice: { inherit: true } });
  });

  it('reports a wrong parent, a bad match, an unknown key and an unknown enforce fleet with positions', () => {
    const text = yaml(
      ...base,
      'fleets:',
      '  customers:',
      '    parent: prodution',
      '    match: 3',
      '    sid: AC00',
      'unmanaged: {enforce: custmers}',
    );
    const out = messages(text);
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^8:13: error: fleet "customers": unknown parent account "prodution" \(did you mean "production"\?\)/,
        ),
        expect.stringMatching(/^9:12: error: fleets.customers.match must be all, a friendly-name glob/),
        expect.stringMatching(/^10:5: error: .*sid/),
        expect.stringMatching(/^11:22: error: unknown fleet "custmers" \(did you mean "customers"\?\)/),
      ]),
    );
  });

  it('unmanaged accepts report and ignore, nothing else', () => {
    expect(load(yaml(...base, 'unmanaged: ignore')).desired!.unmanaged).toMatchObject({ mode: 'ignore' });
    expect(messages(yaml(...base, 'unmanaged: enforce'))).toEqual([
      expect.stringMatching(/^6:12: error: unmanaged must be report, ignore or \{enforce: FLEET\}/),
    ]);
  });

  it('a template inheriting voice declares no voice lists', () => {
    const out = messages(
      yaml(
        ...base,
        'fleets:',
        '  c:',
        '    parent: production',
        '    match: all',
        '    voice: {inherit: true, low_risk: [US]}',
      ),
    );
    expect(out).toEqual([
      expect.stringMatching(/^10:28: error: fleet "c" inherits its parent's voice permissions/),
    ]);
  });
});

describe('a mistyped SID in except', () => {
  it('is an error naming where, not a glob that matches nothing', () => {
    const lines = messages(
      yaml(
        'version: 1',
        'accounts:',
        '  production:',
        `    sid: ${SID1}`,
        'fleets:',
        '  customers:',
        '    parent: production',
        '    match: all',
        '    except: [ac00000000000000000000000000001003, AC000000000000000000000000000010031, cust-internal]',
      ),
    ).filter((m) => m.includes('except'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^9:\d+: error: "ac00000000000000000000000000001003" in fleets\.customers\.except looks like an account SID but is not one/,
    );
  });
});

describe('the word all in match', () => {
  const fleet = (match: string) =>
    yaml(...base, 'fleets:', '  customers:', '    parent: production', `    match: ${match}`);

  it('is an error inside a list, at the entry, saying to write match: all', () => {
    expect(messages(fleet('[cust-*, all]'))).toEqual([
      '9:21: error: "all" in fleets.customers.match[1] would be a friendly-name glob matching only a subaccount named "all": write match: all (not in a list) for every subaccount of the parent, or \\all for the literal name',
    ]);
    expect(messages(fleet('[All]'))).toEqual([
      expect.stringMatching(/^9:13: error: "All" in fleets\.customers\.match\[0\]/),
    ]);
    // With other mistakes in the same list: each at its own entry, in one run.
    expect(messages(fleet('[all, 3]'))).toEqual([
      expect.stringMatching(
        /^9:13: error: "all" in fleets\.customers\.match\[0\] would be a friendly-name glob/,
      ),
      '9:18: error: fleets.customers.match[1] must be a friendly-name glob such as "cust-*", not the number 3',
    ]);
  });

  it('is an error in another case, which would also be a glob', () => {
    expect(messages(fleet('ALL'))).toEqual([
      '9:12: error: "ALL" in fleets.customers.match would be a friendly-name glob matching only a subaccount named "all": write match: all (lower-case) for every subaccount of the parent, or \\all for the literal name',
    ]);
  });

  it('is an error when a double-quoted "\\all" turned \\a into a control character (the glob would match nothing)', () => {
    expect(messages(fleet('["\\all"]'))).toEqual([
      `9:13: error: fleets.customers.match[0] holds the control character U+0007, which is what YAML makes of "\\a" in double quotes: write the glob unquoted or in single quotes ('\\all'), or write \\\\ for a backslash in double quotes`,
    ]);
    expect(messages(fleet('"\\all"'))).toEqual([
      expect.stringMatching(/^9:12: error: fleets\.customers\.match holds the control character U\+0007/),
    ]);
    expect(load(fleet("['\\all']")).diagnostics).toEqual([]);
  });

  it('match: all is every subaccount, and \\all is the literal name', () => {
    expect(load(fleet('all')).desired!.fleets![0]!.match).toBeNull();
    const literal = load(fleet('[\\all]'));
    expect(literal.diagnostics).toEqual([]);
    expect(literal.desired!.fleets![0]!.match).toEqual(['\\all']);
  });
});
