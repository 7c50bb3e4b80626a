//! The server's integration tests, one binary so the server is linked once: the JSON API
//! (`api`), the first render, the routes and the middleware (`http`) on the real server in
//! this process; the built `lakeplan` binary as a script runs it (`cli`) and killed
//! mid-save (`durability`); sign-in with OpenID Connect against a real provider in Node.js
//! (`oidc`). `support` starts servers and holds the shared fixtures.

mod api;
mod cli;
mod durability;
mod http;
mod oidc;
mod support;
