// The origin of a publish request (spec/06-discovery.md §6.8.1, DISC-017): a
// label for the request's network source that the publisher cannot change
// cheaply. A registry node derives it from the connection, never from the
// request's content.

/** How a registry node labels the origin of a publish. */
export type OriginMode =
  /**
   * The /24 prefix of an IPv4 source address, or the /48 prefix of an IPv6
   * one, as DISC-017 recommends: what a public registry uses.
   */
  | "address"
  /**
   * The authenticated peer id of the connection. Identities are free, so this
   * bounds nothing against a publisher that opens a connection per identity;
   * it is for a registry whose publishers all share one address (every test
   * and demo on one machine) and is what §6.9 calls deriving origins "from an
   * authenticated source other than the network address".
   */
  | "peer";

/** The address part of "host", "host:port", "[v6]:port" or an IPv4-mapped IPv6 address. */
function hostOf(remoteAddress: string): string {
  let a = remoteAddress.trim();
  const bracketed = /^\[([^\]]+)\](?::[0-9]+)?$/.exec(a);
  if (bracketed !== null) a = bracketed[1]!;
  else if (/^[0-9.]+:[0-9]+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  const mapped = /^::ffff:([0-9.]+)$/i.exec(a);
  return mapped === null ? a : mapped[1]!;
}

/** Expands an IPv6 address to its eight groups, or undefined if it is not one. */
function ipv6Groups(a: string): string[] | undefined {
  const zoneless = a.split("%")[0]!;
  if (!/^[0-9a-fA-F:.]+$/.test(zoneless) || !zoneless.includes(":")) return undefined;
  const halves = zoneless.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? halves[1]!.split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  return [...head, ...Array<string>(missing).fill("0"), ...tail].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""));
}

/** The network prefix of DISC-017 for a remote address: "a.b.c.0/24" or "x:y:z::/48"; the address itself if it is neither. */
export function addressOrigin(remoteAddress: string): string {
  const host = hostOf(remoteAddress);
  const v4 = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.[0-9]{1,3}$/.exec(host);
  if (v4 !== null) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const v6 = ipv6Groups(host);
  if (v6 !== undefined) return `${v6.slice(0, 3).join(":")}::/48`;
  return host;
}

/** The origin of a publish on a connection. */
export function originOf(mode: OriginMode, peer: { readonly peerId: string; readonly remoteAddress: string }): string {
  return mode === "peer" ? peer.peerId : addressOrigin(peer.remoteAddress);
}
