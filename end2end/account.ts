// The accounts the end-to-end tests sign in with: made by the web server command in
// playwright.config.ts (`lakeplan users add … --password-stdin`), used by the tests.
// The password lives and dies with the run's throw-away data folder.
export const E2E_PASSWORD = "e2e password, long enough";
/** An engineer of team `default`: the `planner` fixture's user. */
export const E2E_EMAIL = "e2e-engineer@example.com";
/** An admin of team `default`. */
export const E2E_ADMIN = "e2e-admin@example.com";
/** An engineer of another team, `apac`, who must not see team `default`'s scenarios. */
export const E2E_OTHER = "e2e-other@example.com";

/** The pricing team's member, who manages price books. */
export const E2E_PRICING = "e2e-pricing@example.com";

/** Each account and its `team:role`, as the web server command makes them. */
export const E2E_ACCOUNTS: [string, string, string][] = [
  [E2E_EMAIL, "default", "engineer"],
  [E2E_ADMIN, "default", "admin"],
  [E2E_OTHER, "apac", "engineer"],
  [E2E_PRICING, "pricing", "pricing"],
];
