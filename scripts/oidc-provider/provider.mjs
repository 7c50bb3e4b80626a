// A real OpenID Connect provider for the server's tests: `oidc-provider` (an OpenID
// Certified implementation), so the sign-in code is tested against the protocol as a
// provider speaks it, not against a mock that agrees with our own reading of the specs.
//
//   node provider.mjs [--port N] [--config FILE] [--exit-on-stdin-close]
//
// Port: `--port`, else $OIDC_PROVIDER_PORT, else 0 (the system picks a free one). The
// issuer is `http://127.0.0.1:<port>`; once listening, one line goes to stdout:
// `ready http://127.0.0.1:<port>` (the issuer). Everything else goes to stderr.
//
// Config (`--config FILE` or $OIDC_PROVIDER_CONFIG), JSON, every key optional:
//   {
//     "client": { "client_id": "...", "client_secret": "...",
//                 "redirect_uris": ["http://127.0.0.1:3000/auth/oidc/callback"],
//                 "token_endpoint_auth_method": "client_secret_basic" },
//     "accounts": "accounts.json",   // a path (relative to the config file) or the array
//     "groups_in": "id_token"        // or "userinfo": where the scope-requested claims go
//   }
// Without a config, the client comes from $OIDC_CLIENT_ID, $OIDC_CLIENT_SECRET and
// $OIDC_REDIRECT_URIS (space-separated), the accounts from $OIDC_ACCOUNTS (a path).
// Accounts: [{ "id": "alice", "email": "...", "name": "...", "groups": ["..."] }].
//
// Sign-in uses the provider's built-in development pages: a login form whose `login`
// field is the account id (any password), then a consent form. Good for tests only.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';

import Provider from 'oidc-provider';

function fail(message) {
  process.stderr.write(`oidc test provider: ${message}\n`);
  process.exit(2);
}

function argValue(name) {
  const i = process.argv.indexOf(name);
  if (i === -1) return undefined;
  if (i + 1 >= process.argv.length) fail(`${name} needs a value`);
  return process.argv[i + 1];
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return fail(`cannot read ${path}: ${e.message}`);
  }
}

const configPath = argValue('--config') ?? process.env.OIDC_PROVIDER_CONFIG;
const config = configPath ? readJson(configPath) : {};
const baseDir = configPath ? dirname(resolve(configPath)) : process.cwd();

const client = config.client ?? {
  client_id: process.env.OIDC_CLIENT_ID,
  client_secret: process.env.OIDC_CLIENT_SECRET,
  redirect_uris: (process.env.OIDC_REDIRECT_URIS ?? '').split(/\s+/).filter(Boolean),
};
if (!client.client_id || !client.client_secret || !client.redirect_uris?.length) {
  fail('the client needs client_id, client_secret and redirect_uris (config or OIDC_CLIENT_* env)');
}

let accountList = config.accounts ?? process.env.OIDC_ACCOUNTS;
if (typeof accountList === 'string') accountList = readJson(resolve(baseDir, accountList));
if (!Array.isArray(accountList)) fail('accounts: a JSON array (or a path to one) is needed');
const accounts = new Map(accountList.map((a) => [String(a.id ?? a.sub), a]));

const groupsIn = config.groups_in ?? 'id_token';
if (!['id_token', 'userinfo'].includes(groupsIn)) fail(`groups_in: id_token or userinfo, not ${groupsIn}`);

const portArg = argValue('--port') ?? process.env.OIDC_PROVIDER_PORT ?? '0';
const port = Number(portArg);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad port ${portArg}`);

// A fresh signing key per run: nothing secret is kept on disk, and the relying party must
// fetch the provider's JWKS to verify ID tokens, as it would in production.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

// Listen first (port 0 lets the system pick a free port, with no race), then build the
// provider with the issuer that names the port actually bound.
let handler = (_req, res) => { res.statusCode = 503; res.end(); };
const server = createServer((req, res) => handler(req, res));
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: client.redirect_uris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: client.token_endpoint_auth_method ?? 'client_secret_basic',
    }],
    // PKCE for every client, confidential ones included (the default asks it of public
    // clients only).
    pkce: { required: () => true },
    // Scope → claims. `groups` is its own scope; the relying party asks for it when the
    // discovery document lists it.
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    // true (the spec's reading): scope-requested claims only at the userinfo endpoint
    // when an access token is issued; false: in the ID token too.
    conformIdTokenClaims: groupsIn === 'userinfo',
    async findAccount(_ctx, id) {
      const account = accounts.get(String(id));
      if (!account) return undefined;
      return {
        accountId: String(id),
        async claims() {
          return {
            sub: String(id),
            email: account.email,
            email_verified: account.email_verified ?? true,
            name: account.name,
            groups: account.groups ?? [],
          };
        },
      };
    },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: { devInteractions: { enabled: true } },
  });
  provider.on('server_error', (_ctx, err) => process.stderr.write(`server_error: ${err.stack}\n`));
  handler = provider.callback();
  process.stdout.write(`ready ${issuer}\n`);
});
server.on('error', (e) => fail(e.message));

// Run by a test: die with the test process even if it is killed before it can kill us.
if (process.argv.includes('--exit-on-stdin-close')) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
