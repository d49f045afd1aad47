// Forges access tokens for negative tests, shaped like oidc-provider's RFC 9068
// JWT access tokens (header typ "at+jwt", claims iss/sub/aud/scope/client_id/iat/exp/jti),
// so each forged token differs from a good one in exactly one respect.
//
// Library: import { mint, KINDS } from './mint.mjs'
// CLI:     JWKS_FILE=... ISSUER=... RESOURCE=... node mint.mjs <kind>   (prints the token only)
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { SignJWT, importJWK, generateKeyPair } from 'jose';

export const KINDS = ['valid', 'expired', 'wrong-issuer', 'wrong-audience', 'unknown-kid', 'bad-signature', 'alg-none'];

export async function loadSigningKey(jwksFile) {
  const { keys } = JSON.parse(await readFile(jwksFile, 'utf8'));
  const jwk = keys.find((k) => k.use !== 'enc' && k.d) ?? keys[0];
  return { key: await importJWK(jwk, jwk.alg || 'RS256'), kid: jwk.kid, alg: jwk.alg || 'RS256' };
}

/**
 * @param {string} kind one of KINDS
 * @param {{jwksFile:string, issuer:string, audience:string, sub?:string, scope?:string, clientId?:string, ttl?:number}} o
 */
export async function mint(kind, o) {
  if (!KINDS.includes(kind)) throw new Error(`unknown kind ${kind}; one of ${KINDS.join(', ')}`);
  const now = Math.floor(Date.now() / 1000);
  let { key, kid, alg } = await loadSigningKey(o.jwksFile);
  let iss = o.issuer;
  let aud = o.audience;
  // Far enough in the past to defeat any sane clock-skew allowance.
  let [iat, exp] = kind === 'expired' ? [now - 7200, now - 3600] : [now, now + (o.ttl ?? 300)];
  if (kind === 'wrong-issuer') iss = 'http://127.0.0.1:1/not-the-issuer';
  if (kind === 'wrong-audience') aud = 'http://127.0.0.1:1/some-other-resource';
  if (kind === 'unknown-kid') {
    // A real signature by a key the issuer never published.
    ({ privateKey: key } = await generateKeyPair(alg, { extractable: true }));
    kid = `unknown-${randomUUID()}`;
  }
  const claims = { scope: o.scope ?? 'workspace:read workspace:write', client_id: o.clientId ?? 'mint-test', jti: randomUUID() };
  const builder = () => new SignJWT(claims).setIssuer(iss).setSubject(o.sub ?? 'usr_alice').setAudience(aud).setIssuedAt(iat).setExpirationTime(exp);

  if (kind === 'alg-none') {
    // jose refuses to produce unsecured JWTs, so assemble one by hand.
    const b64 = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
    return `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ ...claims, iss, sub: o.sub ?? 'usr_alice', aud, iat, exp })}.`;
  }
  const jwt = await builder().setProtectedHeader({ alg, kid, typ: 'at+jwt' }).sign(key);
  if (kind !== 'bad-signature') return jwt;
  // Corrupt the first signature byte (the last char may only carry padding bits).
  const [h, p, s] = jwt.split('.');
  const sig = Buffer.from(s, 'base64url');
  sig[0] ^= 0xff;
  return `${h}.${p}.${sig.toString('base64url')}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const kind = process.argv[2];
  const { JWKS_FILE, ISSUER, RESOURCE } = process.env;
  if (!kind || !JWKS_FILE || !ISSUER || !RESOURCE) {
    console.error(`usage: JWKS_FILE=jwks.json ISSUER=http://127.0.0.1:P RESOURCE=http://127.0.0.1:Q/mcp [SUB=usr_alice] [SCOPE=...] node mint.mjs <${KINDS.join('|')}>`);
    process.exit(2);
  }
  mint(kind, { jwksFile: JWKS_FILE, issuer: ISSUER, audience: RESOURCE, sub: process.env.SUB, scope: process.env.SCOPE })
    .then((t) => process.stdout.write(`${t}\n`))
    .catch((e) => { console.error(`mint: ${e.message}`); process.exit(1); });
}
