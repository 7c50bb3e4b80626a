//! `lakeplan users add|list|remove`: accounts from the command line, on the same data
//! directory as `lakeplan serve` (and while it runs: SQLite lets a second process write
//! between the server's transactions).
//!
//! `add` does what `POST /api/users` does (the same checks, through
//! `api::member_change`): makes the user and the team if new, sets the role in that team,
//! and with `--password-stdin` reads a password from standard input (never from the
//! command line, where other users of the machine could read it in the process list).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use lakeplan_store::{AuditEvent, Email, Options, Store};

use crate::auth::password::Passwords;
use crate::database::Database;

/// Exit statuses: 0 done, 1 refused (a bad field, no such user), 2 could not run.
pub const EXIT_HELP: &str = "Exit status: 0 done; 1 refused (a field is wrong, or no such user), \
                             the reasons on stderr; 2 the store could not be opened or written.";

#[derive(clap::Subcommand, Debug)]
pub enum UsersCommand {
    /// Add a user, or add a team to a user, or change their role in a team.
    #[command(after_help = EXIT_HELP)]
    Add {
        /// The user's email (compared without case).
        email: String,
        /// The team (made if new): lowercase letters, digits, '-', '_', '.'.
        #[arg(long)]
        team: String,
        /// viewer, engineer, pricing or admin.
        #[arg(long)]
        role: String,
        /// The name shown for the user (default: the email's local part).
        #[arg(long)]
        name: Option<String>,
        /// Read the password (12 to 1024 characters) from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List the users with their teams and roles.
    #[command(after_help = EXIT_HELP)]
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Remove a user with their sessions and tokens (their scenarios stay with the teams).
    #[command(after_help = EXIT_HELP)]
    Remove {
        email: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// The store `lakeplan serve` uses: the same options, the same environment.
#[derive(clap::Args, Debug)]
pub struct StoreArgs {
    /// The PostgreSQL database shared by the servers (`postgres://user:password@host/name`);
    /// without it, the embedded store in the data directory. Prefer the environment
    /// variable: a password on the command line shows in the process list.
    #[arg(long, env = "LAKEPLAN_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// The data directory of the embedded store [default: the platform's data folder,
    /// ~/.local/share/lakeplan on Linux].
    #[arg(long, env = "LAKEPLAN_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

impl StoreArgs {
    pub fn database(&self) -> Database {
        Database::choose(self.database_url.clone(), self.data_dir.clone())
    }
}

pub(crate) fn open(store: &StoreArgs) -> Result<Arc<dyn Store>, String> {
    store
        .database()
        .open(Options {
            readers: 1,
            ..Options::default()
        })
        .map(|opened| opened.store)
        .map_err(|e| e.to_string())
}

pub(crate) fn audit(store: &dyn Store, action: &str, target: String) {
    let event = AuditEvent {
        actor: "cli".into(),
        address: "cli".into(),
        action: action.into(),
        target,
        outcome: "ok".into(),
    };
    if let Err(e) = store.record(&event) {
        tracing::error!("the audit log could not be written: {e}");
    }
}

/// Runs one `users` command; the exit status.
pub fn run(
    command: UsersCommand,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    match execute(command, stdin, stdout) {
        Ok(()) => 0,
        Err((code, lines)) => {
            for line in lines {
                let _ = writeln!(stderr, "lakeplan users: {line}");
            }
            code
        }
    }
}

type Failure = (u8, Vec<String>);

fn execute(
    command: UsersCommand,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
) -> Result<(), Failure> {
    let broken = |e: String| (2u8, vec![e]);
    match command {
        UsersCommand::Add {
            email,
            team,
            role,
            name,
            password_stdin,
            store,
        } => {
            let password = if password_stdin {
                let mut line = String::new();
                BufReader::new(stdin)
                    .read_line(&mut line)
                    .map_err(|e| broken(format!("cannot read the password from stdin: {e}")))?;
                Some(line.trim_end_matches(['\n', '\r']).to_string())
            } else {
                None
            };
            let passwords = Passwords::new().map_err(|e| broken(e.to_string()))?;
            let change = crate::api::member_change(
                &email,
                name.as_deref(),
                &team,
                &role,
                password.as_deref(),
                &passwords,
            )
            .map_err(|e| match e {
                crate::api::AppError::Invalid { errors } => (
                    1,
                    errors
                        .into_iter()
                        .map(|f| format!("{}: {}", f.path, f.message))
                        .collect(),
                ),
                other => broken(other.to_string()),
            })?;
            let opened = open(&store).map_err(broken)?;
            let store = opened.as_ref();
            let target = format!(
                "user:{} team:{} role:{}{}",
                change.email,
                change.team,
                change.role,
                if change.password_hash.is_some() {
                    " password set"
                } else {
                    ""
                }
            );
            let user = store
                .put_member(&change)
                .map_err(|e| broken(e.to_string()))?;
            audit(store, "user.put", target);
            let _ = writeln!(stdout, "{}", line_of(&user));
            Ok(())
        }
        UsersCommand::List { store } => {
            let opened = open(&store).map_err(broken)?;
            let store = opened.as_ref();
            let users = store.users().map_err(|e| broken(e.to_string()))?;
            for u in &users {
                let _ = writeln!(stdout, "{}", line_of(u));
            }
            Ok(())
        }
        UsersCommand::Remove { email, store } => {
            let parsed: Email = email
                .parse()
                .map_err(|e: lakeplan_store::NameError| (1, vec![e.to_string()]))?;
            let opened = open(&store).map_err(broken)?;
            let store = opened.as_ref();
            match store
                .remove_user(&parsed)
                .map_err(|e| broken(e.to_string()))?
            {
                Some(u) => {
                    audit(store, "user.remove", format!("user:{}", u.email));
                    let _ = writeln!(stdout, "removed {}", u.email);
                    Ok(())
                }
                None => Err((1, vec![format!("no user has email {email:?}")])),
            }
        }
    }
}

/// `email  team:role,team:role  (password|no password)`.
fn line_of(u: &lakeplan_store::User) -> String {
    let teams: Vec<String> = u
        .teams
        .iter()
        .map(|m| format!("{}:{}", m.team, m.role))
        .collect();
    format!(
        "{}\t{}\t{}",
        u.email,
        if teams.is_empty() {
            "-".to_string()
        } else {
            teams.join(",")
        },
        if u.has_password {
            "password"
        } else {
            "no password"
        }
    )
}
