//! `lakeplan`: the planner's server and command-line tool.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use lakeplan_api::paths::Sheet;
use lakeplan_server::auth::owner;
use lakeplan_server::cli::backup;
use lakeplan_server::cli::books;
use lakeplan_server::cli::compute::{self, ComputeArgs};
use lakeplan_server::cli::export::{self, ExportArgs};
use lakeplan_server::cli::sweep::{self, SweepArgs};
use lakeplan_server::cli::users;
use lakeplan_server::oidc::{GroupMapping, OidcConfig};
use lakeplan_server::settings::{parse_public_url, OidcSettings, Settings, DEFAULT_ADDR};
use lakeplan_server::startup::{shutdown_signal, Application};

#[derive(Parser)]
#[command(
    name = "lakeplan",
    version,
    about = "Capacity and network-feasibility planner for hybrid data lakes",
    after_help = "`lakeplan compute --help` lists the exit statuses scripts can rely on.",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command, `lakeplan` serves: these are `serve`'s options.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the planner on a local address (the default when no command is given).
    Serve(ServeArgs),
    /// Print the report of a scenario file (JSON or CSV) on stdout.
    #[command(after_help = compute::EXIT_HELP)]
    Compute(ComputeArgs),
    /// Write the proposal PDF (and the CSV) of a scenario file.
    #[command(after_help = export::EXIT_HELP)]
    Export(ExportArgs),
    /// Print one CSV row of key figures per combination of varied fields.
    #[command(after_help = sweep::SWEEP_HELP)]
    Sweep(SweepArgs),
    /// Add, list or remove users (works while the server runs).
    #[command(subcommand)]
    Users(users::UsersCommand),
    /// List, import, publish, retire and compare price books (works while the server runs).
    #[command(subcommand)]
    Books(books::BooksCommand),
    /// The same for hardware catalogs (the format of data/catalog/hardware.csv).
    #[command(subcommand)]
    Catalogs(books::BooksCommand),
    /// Write a consistent snapshot of everything stored to FILE (works while servers run).
    #[command(after_help = backup::BACKUP_HELP)]
    Backup(backup::BackupArgs),
    /// Load a backup into an empty store (the embedded one or PostgreSQL).
    #[command(after_help = backup::RESTORE_HELP)]
    Restore(backup::RestoreArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LAKEPLAN_ADDR", default_value = DEFAULT_ADDR)]
    addr: SocketAddr,
    /// Folder with the built site (`pkg/` with the wasm bundle); defaults to `target/site`
    /// beside the binary.
    #[arg(long, env = "LAKEPLAN_SITE_ROOT")]
    site_root: Option<PathBuf>,
    /// Where everything stored lives: a PostgreSQL database shared by several servers, or
    /// the embedded store (`lakeplan.db`) in a data directory, created if missing.
    #[command(flatten)]
    store: users::StoreArgs,
    /// The address users reach the server at, scheme and host only
    /// (`https://lakeplan.example.com`), when a proxy or a name stands in front of it: links
    /// use it, cookies are Secure and answers carry Strict-Transport-Security when it is
    /// https, and writes from a browser must come from it.
    #[arg(long, env = "LAKEPLAN_PUBLIC_URL", value_parser = parse_public_url)]
    public_url: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Serve(args) => serve(args),
        Command::Compute(args) => ExitCode::from(compute::run(
            &args,
            &mut std::io::stdin().lock(),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )),
        Command::Export(args) => ExitCode::from(export::run(
            &args,
            &mut std::io::stdin().lock(),
            &mut std::io::stderr().lock(),
        )),
        Command::Books(command) => ExitCode::from(books::run(
            Sheet::PriceBook,
            command,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )),
        Command::Catalogs(command) => ExitCode::from(books::run(
            Sheet::Catalog,
            command,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )),
        Command::Backup(args) => ExitCode::from(backup::backup(
            &args,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )),
        Command::Restore(args) => ExitCode::from(backup::restore(
            &args,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )),
        Command::Users(command) => ExitCode::from(users::run(
            command,
            &mut std::io::stdin().lock(),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )),
        Command::Sweep(args) => {
            // The bar draws on stderr itself, so stderr is not locked for the run.
            let progress = std::io::stderr().is_terminal();
            ExitCode::from(sweep::run(
                &args,
                &mut std::io::stdin().lock(),
                &mut std::io::stdout().lock(),
                &mut std::io::stderr(),
                progress,
            ))
        }
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "lakeplan=info,lakeplan_server=info,tower_http=info".into()),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lakeplan: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let mut settings = Settings::new(args.addr, args.site_root).with_database(args.store.database());
        settings.public_url = args.public_url;
        // LAKEPLAN_PUBLIC_URL may come from --public-url: read it from the settings.
        let oidc = OidcConfig::from_lookup(|name| match name {
            "LAKEPLAN_PUBLIC_URL" => settings.public_url.clone(),
            _ => std::env::var(name).ok(),
        })
        .and_then(|config| match config {
            Some(config) => Ok(Some(OidcSettings {
                config,
                groups: GroupMapping::from_env()?,
            })),
            None => Ok(None),
        });
        settings.oidc = match oidc {
            Ok(oidc) => oidc,
            Err(e) => {
                eprintln!("lakeplan: {e}");
                return ExitCode::FAILURE;
            }
        };
        if !settings.site_root.join("pkg").is_dir() {
            tracing::warn!(
                "no built bundle in {}: the page renders but will not hydrate; build it with `cargo xtask build --release`",
                settings.site_root.display()
            );
        }
        let app = match Application::build(settings).await {
            Ok(app) => app,
            Err(e) => {
                eprintln!("lakeplan: {e}");
                return ExitCode::FAILURE;
            }
        };
        match app.local_addr() {
            Ok(addr) => tracing::info!("Lakeplan listening on http://{addr}"),
            Err(e) => tracing::warn!("listening, address unknown: {e}"),
        }
        // Printed on the terminal, not logged: the link signs in once, and only the person
        // at this machine should see it (as notebook servers print theirs).
        match app.greeting() {
            owner::Greeting::Link(url) => println!(
                "\nOpen this link to sign in as the local owner (it works once, for 24 hours; \
                 a restart prints a new one):\n\n    {url}\n"
            ),
            owner::Greeting::NoUsers => println!(
                "\nNo users yet. Create the first admin (the password is read from stdin):\n\n    \
                 lakeplan users add you@example.com --team default --role admin --password-stdin\n"
            ),
            owner::Greeting::Nothing => {}
        }
        match app.run_until(shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("lakeplan: server error: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
