//! How much work one scenario or one what-if may ask for, and why.
//!
//! The model's cost and the report's size grow with the sites, the months and the lists a
//! scenario gives; a request within the server's 1 MiB body limit could list 10 000 sites,
//! and one of 41 KB (1 000 sites over 600 months) made the server build a 561 MB answer.
//! These limits sit far above any real plan (a handful of sites, a few years) and keep the
//! largest answer to [`MAX_REPORT_BYTES`]. A scenario over a limit is refused with an
//! error naming the field and the limit, like any other out-of-range value.

/// The longest plan, in months: 50 years, beyond any hardware or contract term.
pub const MAX_HORIZON_MONTHS: u32 = 600;

/// The most sites: a real plan has a handful (two or three regions, a DR site); 32
/// leaves room for a national footprint. Each site adds a path and a site row to every
/// month of the report.
pub const MAX_SITES: usize = 32;

/// The most site-months (sites × horizon months): the report has a path row and a site
/// row per site per month, about 1.4 KB of JSON together with the longest names, so this
/// bounds the report's size (about 7 MB at the limit, measured by the test that holds it
/// to [`MAX_REPORT_BYTES`]). It allows every site count up to 8 over the longest horizon,
/// and all 32 sites over 150 months (12.5 years).
pub const MAX_SITE_MONTHS: u64 = 4_800;

/// The most characters in a site's name: it is repeated in every month of the report
/// (the site row and the path names), so its length multiplies the report's size.
pub const MAX_NAME_CHARS: usize = 64;

/// The most claims: each is a statement of the change from a meeting or a document,
/// compared with the plan in one table; a few is usual.
pub const MAX_CLAIMS: usize = 32;

/// The most points of a `points` curve: one a month over the longest horizon.
pub const MAX_POINTS: usize = 600;

/// The most problems the parser lists for one scenario, then counts the rest in one
/// last error: a person fixes the first few, while a 1 MB file of unknown keys took 38 s
/// to describe in full (each unknown key's line is a search of the whole text) and
/// would have answered tens of megabytes of errors.
pub const MAX_ERRORS: usize = 100;

/// The most memory one Monte Carlo run's figures may hold: 192 MB, what the limit of
/// 6 000 000 trial-months of a two-site plan (32 bytes each) allowed before it counted the
/// sites. A trial-month holds a fixed part and a part per path and per site (see
/// `whatif::uncertainty::trial_month_bytes`), so 32 sites hold 272 bytes a trial-month
/// and are allowed about a ninth of the trials of two sites over the same months.
pub const MAX_TRIAL_BYTES: u64 = 6_000_000 * 32;

/// The most combinations one `POST /api/sweep` may run: each is a full report, and
/// 100 000 rows take about ten seconds on two cores, inside the request timeout. (The
/// command line, on the user's own machine, allows more.)
pub const MAX_SWEEP_COMBINATIONS: u64 = 100_000;

/// The most JSON a report within these limits may take: 16 MiB, about twice the worst
/// case measured (`tests/inputs.rs` builds it: the most sites, claims and points, the
/// longest names, every site-month), so the model's figures may grow without a new
/// limit, while one answer stays a small share of the server's memory.
pub const MAX_REPORT_BYTES: usize = 16 * 1024 * 1024;
