//! The server's integration tests, one binary so the server is linked once: the JSON API
//! (`api`), the first render, the routes and the middleware (`http`), the security headers
//! (`headers`) and who may do what (`access`) on the real server in this process; the built
//! `lakeplan` binary as a script runs it (`cli`) and killed mid-save (`durability`);
//! sign-in with OpenID Connect against a real provider in Node.js (`oidc`); several
//! servers on one throw-away PostgreSQL (`shared`). `support`
//! starts servers and holds the shared fixtures.

mod access;
mod api;
mod books;
mod catalogs;
mod cli;
mod durability;
mod headers;
mod http;
mod oidc;
mod shared;
mod support;
