//! The server's integration tests, one binary so the server is linked once: the JSON API
//! (`api`), the first render, the routes and the middleware (`http`), the security headers
//! (`headers`) on the real server in this process; the built `lakeplan` binary as a script
//! runs it (`cli`) and killed mid-save (`durability`). `support` starts servers and holds
//! the shared fixtures.

mod access;
mod api;
mod cli;
mod durability;
mod headers;
mod http;
mod support;
