import {
  allCountries,
  isConsoleOnlyMessaging,
  isUnsupportedDestination,
  type CountryInfo,
} from '../catalog/index.js';

/** Every country the emulator knows, in ISO order: the voice Countries list and the messaging GET. */
export function emulatorCountries(): readonly CountryInfo[] {
  return allCountries();
}

let byIso: Map<string, CountryInfo> | undefined;

export function emulatorCountry(iso: string): CountryInfo | undefined {
  byIso ??= new Map(allCountries().map((c) => [c.iso, c]));
  return byIso.get(iso);
}

/** Why the messaging API refuses to change a country (Twilio error 30649), or null when it may. */
export function messagingRefusal(iso: string): string | null {
  if (isConsoleOnlyMessaging(iso)) return 'High risk country permission cannot be updated';
  if (isUnsupportedDestination(iso)) return 'Geo permissions for unsupported countries cannot be updated';
  return null;
}

/** The messaging GET `message` hint. */
export function messagingHint(iso: string): string {
  if (isConsoleOnlyMessaging(iso)) return 'High Risk Country';
  if (isUnsupportedDestination(iso)) return 'Unsupported Country';
  return '';
}

/** Synthetic high-risk special prefixes (Twilio's real lists are not published): +<code>90 and +<code>70. */
export function highRiskSpecialPrefixes(country: CountryInfo): string[] {
  return country.callingCodes.flatMap((code) => [`${code}90`, `${code}70`]);
}
