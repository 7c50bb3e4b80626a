// The account the end-to-end tests sign in with: made by the web server command in
// playwright.config.ts (`lakeplan users add … --password-stdin`), used by tests/fixtures.ts.
// The password lives and dies with the run's throw-away data folder.
export const E2E_EMAIL = "e2e-engineer@example.com";
export const E2E_PASSWORD = "e2e password, long enough";
