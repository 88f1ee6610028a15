// Twilio Regions and Edge Locations (TWILIO_REGION / TWILIO_EDGE, --twilio-region / --twilio-edge, the
// twilio-region / twilio-edge inputs). The hosts themselves are built by twilio-node's own
// BaseTwilio.getHostname ({product}.{edge}.{region}.twilio.com): the gateway sets the client's
// `region` and `edge`, so this module only checks the names and words the messages. No SDK import:
// the CLI's and the action's settings check the names before anything heavy loads.

/** Where requests go: both null is the default, US1 through the legacy hosts (api.twilio.com). */
export interface TwilioLocation {
  region: string | null;
  edge: string | null;
}

export const DEFAULT_LOCATION: TwilioLocation = { region: null, edge: null };

/** A region (us1, ie1, au1) or edge (dublin, sydney, ashburn-ix) name: one DNS label. */
const LOCATION_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Twilio's documented region/edge pairs, for messages only (any other pair is passed through: the
 * list of edges is Twilio's to extend). Source: twilio.com/docs/twilio-cli/general-usage/regional.
 */
const DOCUMENTED_EDGE: Record<string, string> = { au1: 'sydney', ie1: 'dublin', jp1: 'tokyo' };

/**
 * The region and edge as given (either may be null; an empty text is unset), lower-cased, or an
 * Error naming the setting. `names` says how the caller spells them (env/flag or input names).
 */
export function readLocation(
  region: string | null | undefined,
  edge: string | null | undefined,
  names: { region: string; edge: string },
): TwilioLocation {
  const location = { region: normalized(region), edge: normalized(edge) };
  for (const key of ['region', 'edge'] as const) {
    const value = location[key];
    if (value !== null && !LOCATION_NAME.test(value))
      throw new Error(
        `${names[key]} must be a Twilio ${key} name such as ${key === 'region' ? 'ie1' : 'dublin'}`,
      );
  }
  // twilio-node would build {product}.{region}.twilio.com here; Twilio retired that pattern outside US1
  // on 2026-04-28 ("Understanding Edge Locations", API Domain Migration Guide), so ask for the edge.
  if (location.region !== null && location.region !== 'us1' && location.edge === null) {
    const example = DOCUMENTED_EDGE[location.region];
    throw new Error(
      `${names.region} is ${location.region} but ${names.edge} is not set: Twilio no longer serves ` +
        `{product}.{region}.twilio.com outside US1, so give the edge too` +
        (example ? ` (${example} for ${location.region})` : ''),
    );
  }
  return location;
}

/**
 * The region and edge given as flags or inputs (null or undefined: not given), else TWILIO_REGION and
 * TWILIO_EDGE of `env`; errors name what was read (`names`: how the flags or inputs are spelled).
 */
export function locationFrom(
  given: { region: string | null | undefined; edge: string | null | undefined },
  env: Readonly<Record<string, string | undefined>>,
  names: { region: string; edge: string },
): TwilioLocation {
  return readLocation(given.region ?? env.TWILIO_REGION, given.edge ?? env.TWILIO_EDGE, {
    region: given.region != null ? names.region : 'TWILIO_REGION',
    edge:
      given.edge != null
        ? names.edge
        : env.TWILIO_EDGE?.trim()
          ? 'TWILIO_EDGE'
          : `${names.edge} (or TWILIO_EDGE)`,
  });
}

function normalized(text: string | null | undefined): string | null {
  const value = text?.trim().toLowerCase() ?? '';
  return value === '' ? null : value;
}

/** "region ie1 through edge dublin", for messages; null for the default location. */
export function describeLocation(location: TwilioLocation): string | null {
  if (location.region === null && location.edge === null) return null;
  const region = location.region ?? 'us1';
  return location.edge ? `region ${region} through edge ${location.edge}` : `region ${region}`;
}

/**
 * What a refusal may mean when a region is set (nothing otherwise): credentials belong to one region,
 * and not every product is served in every region.
 */
export function regionHint(status: number, location: TwilioLocation): string | null {
  const where = describeLocation(location);
  if (where === null || location.region === null || location.region === 'us1') return null;
  const region = location.region.toUpperCase();
  if (status === 401)
    return (
      `the requests went to ${where}: an auth token or API key is valid only in the region it was made in, ` +
      `so these must be ${region} credentials (the Console shows them with its region selector set to ${region})`
    );
  if (status === 404)
    return (
      `the requests went to ${where}; whether this API is served in ${region} is not documented ` +
      `(twilio.com/docs/global-infrastructure/regional-product-and-feature-availability)`
    );
  return null;
}
