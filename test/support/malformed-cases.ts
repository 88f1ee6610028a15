import { SID1, SID2, yaml } from './policy-helpers.js';

const HEAD = ['version: 1', 'accounts:', '  production:', `    sid: ${SID1}`];

/** Each case: a policy and the exact diagnostics it must produce (line:col: severity: message). */
/** The malformed-policy corpus; test/hardening reuses it to prove none of them reaches Twilio. */
export const MALFORMED_POLICIES: { name: string; text: string; expected: string[] }[] = [
  {
    name: 'empty file',
    text: '',
    expected: [
      '1:1: error: the policy file is empty: start it with "version: 1" and an "accounts:" mapping (see the policy reference in README.md)',
    ],
  },
  {
    name: 'only comments',
    text: yaml('# nothing here'),
    expected: [
      '1:1: error: the policy file holds no YAML content: add "version: 1" and an "accounts:" mapping',
    ],
  },
  {
    name: 'root is a list',
    text: yaml('- version: 1'),
    expected: [
      '1:1: error: the policy must be a mapping with "version", "accounts" and optional "groups", "defaults", "guards" at the top level, not a list',
    ],
  },
  {
    name: 'root is a string',
    text: yaml('hello'),
    expected: [
      '1:1: error: the policy must be a mapping with "version", "accounts" and optional "groups", "defaults", "guards" at the top level, not the string "hello"',
    ],
  },
  {
    name: 'missing version',
    text: yaml(...HEAD.slice(1)),
    expected: ['1:1: error: missing "version: 1": add it as the first line of the policy'],
  },
  {
    name: 'unsupported version',
    text: yaml('version: 2', ...HEAD.slice(1), '    bogus: 1'),
    expected: [
      '1:10: error: unsupported policy version 2: this build reads version 1; write "version: 1" (a plain number) or upgrade geo-permissions',
    ],
  },
  {
    name: 'version as a string',
    text: yaml('version: "1"', ...HEAD.slice(1)),
    expected: [
      '1:10: error: unsupported policy version "1": this build reads version 1; write "version: 1" (a plain number) or upgrade geo-permissions',
    ],
  },
  {
    name: 'missing accounts',
    text: yaml('version: 1'),
    expected: [
      '1:1: error: missing required key "accounts" in the top level: add it; write e.g. "accounts: {production: {sid: AC…}}"',
    ],
  },
  {
    name: 'accounts is a list',
    text: yaml('version: 1', 'accounts: [production]'),
    expected: [
      '2:11: error: accounts must be a mapping (key: value), not a list: write e.g. "accounts: {production: {sid: AC…}}"',
    ],
  },
  {
    name: 'tab indentation',
    text: 'version: 1\naccounts:\n\tproduction: {}\n',
    expected: [
      '3:1: error: YAML syntax: a tab is used for indentation; YAML indents with spaces only: replace the tab with spaces',
    ],
  },
  {
    name: 'unclosed flow sequence',
    text: yaml(...HEAD, '    messaging: [US, GB'),
    expected: [
      '6:1: error: YAML syntax: a flow collection ([...] or {...}) is not closed: add the missing ] or }',
    ],
  },
  {
    name: 'two documents',
    text: yaml(...HEAD, '---', 'version: 1'),
    expected: [
      '5:1: error: YAML syntax: the file holds more than one YAML document (a "---" line); keep one policy per file',
    ],
  },
  {
    name: 'duplicate top-level key',
    text: yaml(...HEAD, 'version: 1'),
    expected: [
      '5:1: error: duplicate key "version": each key may appear once in a mapping; merge the two entries (the last one would win)',
    ],
  },
  {
    name: 'duplicate account name',
    text: yaml(...HEAD, '  production:', `    sid: ${SID2}`),
    expected: [
      '5:3: error: duplicate key "production": each key may appear once in a mapping; merge the two entries (the last one would win)',
    ],
  },
  {
    name: 'unknown top-level key',
    text: yaml(...HEAD, 'grups: {}'),
    expected: ['5:1: error: unknown key "grups" in the top level (did you mean "groups"?)'],
  },
  {
    name: 'unknown voice key',
    text: yaml(...HEAD, '    voice:', '      low_rsk: [US]'),
    expected: ['6:7: error: unknown key "low_rsk" in accounts.production.voice (did you mean "low_risk"?)'],
  },
  {
    name: 'unknown account key without a near match',
    text: yaml(...HEAD, '    colour: blue'),
    expected: [
      '5:5: error: unknown key "colour" in accounts.production; allowed keys: sid, parent, voice, messaging',
    ],
  },
  {
    name: 'unknown defaults key',
    text: yaml('version: 1', 'defaults:', '  mesaging: [US]', ...HEAD.slice(1)),
    expected: ['3:3: error: unknown key "mesaging" in defaults (did you mean "messaging"?)'],
  },
  {
    name: 'unknown guards key',
    text: yaml('version: 1', 'guards:', '  max_change: 3', ...HEAD.slice(1)),
    expected: ['3:3: error: unknown key "max_change" in guards (did you mean "max_changes"?)'],
  },
  {
    name: 'unknown exception key',
    text: yaml(...HEAD, '    messaging: [{country: BR, expires: 2027-03-31, tciket: OPS-1}]'),
    expected: [
      '5:52: error: unknown key "tciket" in accounts.production.messaging[0] (did you mean "ticket"?)',
    ],
  },
  {
    name: 'missing sid',
    text: yaml('version: 1', 'accounts:', '  production:', '    messaging: [US]'),
    expected: [
      '3:3: error: missing required key "sid" in accounts.production: add it; write the account SID, "AC" followed by 32 lower-case hex digits',
    ],
  },
  {
    name: 'sid is a number',
    text: yaml('version: 1', 'accounts:', '  production:', '    sid: 12'),
    expected: [
      '4:10: error: accounts.production.sid must be a string, not the number 12: write the account SID, "AC" followed by 32 lower-case hex digits',
    ],
  },
  {
    name: 'short sid',
    text: yaml('version: 1', 'accounts:', '  production:', '    sid: AC123'),
    expected: [
      '4:10: error: malformed SID "AC123" in accounts.production.sid: an account SID is "AC" followed by 32 lower-case hex digits (5 characters given, 34 expected); copy it from the Twilio Console',
    ],
  },
  {
    name: 'sid with upper-case hex',
    text: yaml('version: 1', 'accounts:', '  production:', '    sid: AC0123456789ABCDEF0123456789abcdef'),
    expected: [
      '4:10: error: malformed SID "AC0123456789ABCDEF0123456789abcdef" in accounts.production.sid: Twilio SIDs use lower-case hex digits; write "AC0123456789abcdef0123456789abcdef"',
    ],
  },
  {
    name: 'sid with lower-case prefix',
    text: yaml('version: 1', 'accounts:', '  production:', '    sid: ac0123456789abcdef0123456789abcdef'),
    expected: [
      '4:10: error: malformed SID "ac0123456789abcdef0123456789abcdef" in accounts.production.sid: an account SID starts with upper-case "AC"; write "AC0123456789abcdef0123456789abcdef"',
    ],
  },
  {
    name: 'duplicate sid',
    text: yaml(...HEAD, '  staging:', `    sid: ${SID1}`),
    expected: [
      `6:10: error: duplicate SID ${SID1}: account "production" (line 4) already uses it; each Twilio account appears once, so remove one of them`,
    ],
  },
  {
    name: 'unknown parent',
    text: yaml(...HEAD, '  sub:', `    sid: ${SID2}`, '    parent: prodution'),
    expected: ['7:13: error: unknown parent account "prodution" (did you mean "production"?)'],
  },
  {
    name: 'parent is itself',
    text: yaml(...HEAD, '    parent: production'),
    expected: [
      '5:13: error: account "production" names itself as parent: remove "parent", or name the account that owns it',
    ],
  },
  {
    name: 'parent cycle',
    text: yaml(...HEAD, '    parent: sub', '  sub:', `    sid: ${SID2}`, '    parent: production'),
    expected: [
      '5:13: error: parent cycle: "production" and "sub" name each other as parent; one of them must be the parent account',
      '8:13: error: parent cycle: "sub" and "production" name each other as parent; one of them must be the parent account',
    ],
  },
  {
    name: 'nested subaccount',
    text: yaml(
      ...HEAD,
      '  sub:',
      `    sid: ${SID2}`,
      '    parent: production',
      '  subsub:',
      '    sid: AC00000000000000000000000000000003',
      '    parent: sub',
    ),
    expected: [
      '10:13: error: nested subaccount: "sub" is itself a subaccount of "production", and Twilio subaccounts are one level deep: set parent to "production"',
    ],
  },
  {
    name: 'parent is a number',
    text: yaml(...HEAD, '    parent: 7'),
    expected: [
      '5:13: error: accounts.production.parent must be a string, not the number 7: write the name of another account under "accounts:"',
    ],
  },
  {
    name: 'inherit on a parent account',
    text: yaml(...HEAD, '    voice:', '      inherit: false'),
    expected: [
      '6:7: error: only subaccounts inherit voice permissions: remove "inherit" from account "production", which has no parent',
    ],
  },
  {
    name: 'inherit with voice lists',
    text: yaml(
      ...HEAD,
      '  sub:',
      `    sid: ${SID2}`,
      '    parent: production',
      '    voice:',
      '      inherit: true',
      '      low_risk: [US]',
      '      high_risk_special: []',
    ),
    expected: [
      '10:7: error: account "sub" inherits its parent\'s voice permissions (inherit: true), so it declares no voice lists: remove "low_risk" or set inherit: false',
      '11:7: error: account "sub" inherits its parent\'s voice permissions (inherit: true), so it declares no voice lists: remove "high_risk_special" or set inherit: false',
    ],
  },
  {
    name: 'inherit is a string',
    text: yaml(
      ...HEAD,
      '  sub:',
      `    sid: ${SID2}`,
      '    parent: production',
      '    voice:',
      '      inherit: yes',
    ),
    expected: [
      '9:16: error: accounts.sub.voice.inherit must be true or false, not the string "yes": write inherit: true or inherit: false',
    ],
  },
  {
    name: 'list is a string',
    text: yaml(...HEAD, '    messaging: US'),
    expected: [
      '5:16: error: accounts.production.messaging must be a list, not the string "US": write e.g. [US, GB] ([] for none)',
    ],
  },
  {
    name: 'list item is a number',
    text: yaml(...HEAD, '    messaging: [US, 44]'),
    expected: [
      '5:21: error: accounts.production.messaging[1] must be a country code ("US"), a group name, "continent:NAME" or an exception {country, expires, reason, ticket}, not the number 44',
    ],
  },
  {
    name: 'list item is empty',
    text: yaml(...HEAD, '    messaging:', '      - US', '      -'),
    expected: [
      '7:8: error: accounts.production.messaging[1] must be a country code ("US"), a group name, "continent:NAME" or an exception {country, expires, reason, ticket}, not an empty value (null)',
    ],
  },
  {
    name: 'unknown country code UK',
    text: yaml(...HEAD, '    messaging: [US, UK]'),
    expected: ['5:21: error: unknown country code "UK" (did you mean "GB"?)'],
  },
  {
    name: 'unknown country code without suggestion',
    text: yaml(...HEAD, '    messaging: [QQ]'),
    expected: ['5:17: error: unknown country code "QQ": use an ISO 3166-1 alpha-2 code such as "US"'],
  },
  {
    name: 'lower-case country code',
    text: yaml(...HEAD, '    messaging: [gb]'),
    expected: [
      '5:17: error: country codes are upper-case: write "GB" instead of "gb" in accounts.production.messaging[0]',
    ],
  },
  {
    name: 'country name instead of code',
    text: yaml(...HEAD, '    messaging: [Germany]'),
    expected: ['5:17: error: unknown country code or group "Germany" (did you mean "DE"?)'],
  },
  {
    name: 'misspelled country name',
    text: yaml(...HEAD, '    messaging: [Brazl]'),
    expected: ['5:17: error: unknown country code or group "Brazl" (did you mean "BR"?)'],
  },
  {
    name: 'unknown group with a near match',
    text: yaml('version: 1', 'groups:', '  core: [US]', ...HEAD.slice(1), '    messaging: [cor]'),
    expected: ['7:17: error: unknown group "cor" (did you mean "core"?)'],
  },
  {
    name: 'unknown group without a near match',
    text: yaml(...HEAD, '    messaging: [emea-partners]'),
    expected: [
      '5:17: error: unknown group or country code "emea-partners": define it under "groups:", or use an ISO code such as "US" or "continent:EUROPE"',
    ],
  },
  {
    name: 'group cycle',
    text: yaml('version: 1', 'groups:', '  a: [US, b]', '  b: [a]', ...HEAD.slice(1)),
    expected: [
      '4:7: error: group cycle a -> b -> a: a group may not include itself; remove one of these references',
    ],
  },
  {
    name: 'group including itself',
    text: yaml('version: 1', 'groups:', '  a: [US, a]', ...HEAD.slice(1)),
    expected: [
      '3:11: error: group cycle a -> a: a group may not include itself; remove one of these references',
    ],
  },
  {
    name: 'group named like a country code',
    text: yaml('version: 1', 'groups:', '  EU: [DE, FR]', ...HEAD.slice(1)),
    expected: [
      '3:3: error: group name "EU" looks like a country code or continent and would be ambiguous: rename the group (e.g. "eu-group")',
    ],
  },
  {
    name: 'group is not a list',
    text: yaml('version: 1', 'groups:', '  core: US', ...HEAD.slice(1)),
    expected: ['3:9: error: groups.core must be a list, not the string "US"'],
  },
  {
    name: 'unknown continent',
    text: yaml(...HEAD, '    messaging: [continent:EUROP]'),
    expected: ['5:17: error: unknown continent "EUROP" (did you mean "continent:EUROPE"?)'],
  },
  {
    name: 'lower-case continent',
    text: yaml(...HEAD, '    messaging: [continent:europe]'),
    expected: ['5:17: error: unknown continent "europe" (did you mean "continent:EUROPE"?)'],
  },
  {
    name: 'continent without prefix',
    text: yaml(...HEAD, '    messaging: [NORTH_AMERICA]'),
    expected: [
      '5:17: error: "NORTH_AMERICA" is a continent: write "continent:NORTH_AMERICA" in accounts.production.messaging[0]',
    ],
  },
  {
    name: 'unknown continent without a near match',
    text: yaml(...HEAD, '    messaging: [continent:ATLANTIS]'),
    expected: [
      '5:17: error: unknown continent "ATLANTIS": use one of AFRICA, ANTARCTICA, ASIA, EUROPE, NORTH_AMERICA, OCEANIA, SOUTH_AMERICA',
    ],
  },
  {
    name: 'expired exception',
    text: yaml(...HEAD, '    messaging: [{country: BR, expires: 2026-11-01}]'),
    expected: [
      '5:40: error: exception for BR expired on 2026-11-01 (24 days ago): remove it, or extend "expires" if it is still needed',
    ],
  },
  {
    name: 'invalid calendar date',
    text: yaml(...HEAD, '    messaging: [{country: BR, expires: 2027-02-30}]'),
    expected: [
      '5:40: error: invalid date "2027-02-30" in accounts.production.messaging[0].expires: write a real calendar date as YYYY-MM-DD, e.g. 2027-03-31',
    ],
  },
  {
    name: 'date in another format',
    text: yaml(...HEAD, '    messaging: [{country: BR, expires: 31/03/2027}]'),
    expected: [
      '5:40: error: invalid date "31/03/2027" in accounts.production.messaging[0].expires: write a real calendar date as YYYY-MM-DD, e.g. 2027-03-31',
    ],
  },
  {
    name: 'exception without expires',
    text: yaml(...HEAD, '    messaging: [{country: BR}]'),
    expected: [
      '5:17: error: missing required key "expires" in accounts.production.messaging[0]: add it; write the last day the exception counts, YYYY-MM-DD',
    ],
  },
  {
    name: 'exception naming a group',
    text: yaml(
      'version: 1',
      'groups:',
      '  core: [US]',
      ...HEAD.slice(1),
      '    messaging: [{country: core, expires: 2027-03-31}]',
    ),
    expected: [
      '7:27: error: unknown country code "core": an exception names one ISO 3166-1 alpha-2 code such as "BR"',
    ],
  },
  {
    name: 'exception with unknown code',
    text: yaml(...HEAD, '    messaging: [{country: UK, expires: 2027-03-31}]'),
    expected: ['5:27: error: unknown country code "UK" (did you mean "GB"?)'],
  },
  {
    name: 'max_changes zero',
    text: yaml('version: 1', 'guards:', '  max_changes: 0', ...HEAD.slice(1)),
    expected: [
      '3:16: error: guards.max_changes must be a positive whole number, not 0: set it to 1 or more, or remove it for no limit',
    ],
  },
  {
    name: 'max_changes fractional',
    text: yaml('version: 1', 'guards:', '  max_changes: 2.5', ...HEAD.slice(1)),
    expected: [
      '3:16: error: guards.max_changes must be a whole number, not the number 2.5: write e.g. "max_changes: 25", or remove it for no limit',
    ],
  },
  {
    name: 'never_disable with an exception',
    text: yaml(
      'version: 1',
      'guards:',
      '  never_disable: [{country: US, expires: 2027-01-01}]',
      ...HEAD.slice(1),
    ),
    expected: [
      '3:19: error: guards.never_disable[0] must be a country code, group name or continent:NAME (no exceptions here), not a mapping',
    ],
  },
  {
    name: 'never_disable with an unknown code',
    text: yaml('version: 1', 'guards:', '  never_disable: [USA]', ...HEAD.slice(1)),
    expected: ['3:19: error: unknown country code or group "USA" (did you mean "US"?)'],
  },
  {
    name: 'unsupported messaging destination',
    text: yaml(...HEAD, '    messaging: [US, IR]'),
    expected: [
      '5:21: error: Twilio does not support messaging to IR (Iran) and ignores updates for it: remove it from accounts.production.messaging',
    ],
  },
  {
    name: 'alias bomb',
    text: yaml(
      'version: 1',
      'groups:',
      '  a: &a [US, US, US, US, US, US, US, US, US, US]',
      '  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      '  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      '  d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      ...HEAD.slice(1),
    ),
    expected: [
      '4:10: error: YAML aliases expand to too many nodes (over 100, a resource-exhaustion guard): write the lists out or use groups',
    ],
  },
  {
    name: 'oversized file',
    text: yaml(...HEAD, '    messaging: [US]', '#' + 'x'.repeat(1024 * 1024)),
    expected: [
      '1:1: error: the file is 1048677 bytes, over the 1 MiB (1048576 bytes) limit for a policy: use groups and continents instead of long lists',
    ],
  },
  // Issue 10, items 5 and 11e: what fuzzing validate found. Each is one printable line quoting at
  // most a short escaped excerpt, and none reaches a recursive step of the parser.
  {
    name: 'nesting deeper than 64 levels',
    text: yaml(...HEAD, `    messaging: ${'['.repeat(770)}${']'.repeat(770)}`),
    expected: [
      '5:77: error: lists and mappings nest deeper than 64 levels (a policy needs 6): flatten the file',
    ],
  },
  {
    name: 'alias inside the node its anchor names',
    text: yaml('version: 1', 'groups:', '  core: &core [US, *core]', ...HEAD.slice(1)),
    expected: [
      '3:20: error: the alias "*core" is inside the node its anchor "&core" names, an endless loop: write the value out instead',
    ],
  },
  {
    name: 'alias to no anchor',
    text: yaml(...HEAD, '    messaging: *core'),
    expected: ['5:16: error: unknown alias "*core": define the anchor "&core" before the alias uses it'],
  },
  {
    name: 'a list as a key',
    text: yaml(...HEAD, '    ? [US, GB]', '    : x'),
    expected: ['5:7: error: a list or mapping is used as a key: a key is a name; write it as plain text'],
  },
  {
    name: 'YAML 1.1 merge key with a list of names',
    text: yaml('%YAML 1.1', '---', ...HEAD, '    <<: [US, GB]'),
    expected: [
      '7:5: error: a "<<" merge key takes a mapping or an alias of one (<<: *name), or a list of them: write the keys out instead',
    ],
  },
  {
    name: 'terminal escapes and a bidirectional override in a value',
    text: yaml(...HEAD, '    messaging: ["\\e[31mUS\\u202e"]'),
    expected: [
      '5:17: error: unknown group or country code "\\u001b[31mUS\\u202e": define it under "groups:", or use an ISO code such as "US" or "continent:EUROPE"',
    ],
  },
  {
    name: 'a long value',
    text: yaml(...HEAD, `    messaging: [${'X'.repeat(200)}]`),
    expected: [
      `5:17: error: unknown group or country code "${'X'.repeat(79)}…": define it under "groups:", or use an ISO code such as "US" or "continent:EUROPE"`,
    ],
  },
  {
    name: 'UTF-16 file',
    text: Buffer.from(yaml(...HEAD), 'utf16le').toString('utf8'),
    expected: [
      '1:2: error: the file holds a NUL character, so it is not UTF-8 text (UTF-16, or binary): save the policy as UTF-8',
    ],
  },
];
