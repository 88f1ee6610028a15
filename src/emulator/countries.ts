import {
  isConsoleOnlyMessaging,
  isUnsupportedDestination,
  messagingCountries,
  voiceCountries,
  voiceCountry,
  type CountryInfo,
  type Product,
} from '../catalog/index.js';

/** Each product's list as Twilio lists it, in ISO order: voice has US "United States/Canada" and no CA. */
export function emulatorCountries(product: Product): readonly CountryInfo[] {
  return product === 'voice' ? voiceCountries() : messagingCountries();
}

let messagingByIso: Map<string, CountryInfo> | undefined;

/** A country of `product`'s list; voice answers undefined for CA (Twilio dials Canada through US). */
export function emulatorCountry(product: Product, iso: string): CountryInfo | undefined {
  if (product === 'voice') return voiceCountry(iso);
  messagingByIso ??= new Map(messagingCountries().map((c) => [c.iso, c]));
  return messagingByIso.get(iso);
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
