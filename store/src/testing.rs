//! A throw-away PostgreSQL for tests: Debian's `postgresql` package (installed by
//! `scripts/setup.sh --test`), a cluster made with `initdb` in a temporary folder, served on
//! a free loopback port, removed when the test process ends however it ends.
//!
//! The cluster is run by a small shell script that holds the test process's pipe: it reads
//! `stop` and `start` commands from it (a test of a lost database stops and restarts its
//! own cluster), and when the pipe closes (the test process exited, or was killed) it stops
//! PostgreSQL and removes the folder. So no test run leaves a server behind, which a
//! `Drop` could not promise for a cluster shared through a `static`.
//!
//! As root (CI, this machine), PostgreSQL refuses to run: the script runs as the `postgres`
//! user that Debian's package makes, and the folder is given to it.
//!
//! `LAKEPLAN_PG_BIN` names the folder of `initdb` and `pg_ctl` when they are not in
//! Debian's `/usr/lib/postgresql/<version>/bin`.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// The script that makes, serves and finally removes a cluster. Arguments: the folder of
/// PostgreSQL's programs, the cluster's folder, the port.
const SCRIPT: &str = r#"
set -u
# Ctrl-C or a signal to the test's process group must not end the script before it stops
# the server: only its pipe closing does.
trap '' INT TERM HUP
bin=$1; root=$2; port=$3
data="$root/data"
opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
start() { "$bin/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 -o "$opts" start >/dev/null 2>&1; }
stop() { "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1; }
if ! "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >"$root/initdb.log" 2>&1; then
  echo "failed: initdb: $(tail -5 "$root/initdb.log" | tr '\n' ' ')"; rm -rf "$root"; exit 1
fi
if ! start; then
  echo "failed: pg_ctl start: $(tail -5 "$root/server.log" | tr '\n' ' ')"; rm -rf "$root"; exit 1
fi
echo ready
while read -r cmd; do
  case $cmd in
    stop) stop; echo stopped ;;
    start) start; echo started ;;
  esac
done
stop
rm -rf "$root"
"#;

/// A PostgreSQL cluster of this test process.
pub struct Cluster {
    port: u16,
    control: Mutex<(ChildStdin, BufReader<ChildStdout>)>,
    _script: Child,
}

impl Cluster {
    /// Makes and starts a new cluster. Slow (initdb: a second or two): tests share
    /// [`shared`] and take a fresh database from it, but for a test that stops its database.
    pub fn start() -> Result<Cluster, String> {
        let bin = pg_bin()?;
        let root_user = is_root();
        // As root the folder goes to `postgres`, which must reach it: under /tmp, not a
        // TMPDIR that may be private to root.
        let base = if root_user {
            PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        let root = base.join(format!(
            "lakeplan-pg-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
        let started = Cluster::spawn(&bin, &root, root_user);
        if started.is_err() {
            // The script removes the folder once it runs; before that, it is ours to remove.
            let _ = std::fs::remove_dir_all(&root);
        }
        started
    }

    fn spawn(bin: &Path, root: &Path, root_user: bool) -> Result<Cluster, String> {
        let port = free_port()?;
        let mut command = if root_user {
            // The folder goes to `postgres`, which then removes it.
            let status = Command::new("chown")
                .arg("postgres:postgres")
                .arg(root)
                .status()
                .map_err(|e| format!("chown: {e}"))?;
            if !status.success() {
                return Err("chown postgres: no user postgres (install postgresql)".into());
            }
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", "sh"]);
            c
        } else {
            Command::new("sh")
        };
        let mut script = command
            .arg("-c")
            .arg(SCRIPT)
            .arg("sh")
            .arg(bin)
            .arg(root)
            .arg(port.to_string())
            // Its own process group: a signal to the tests' group does not reach it.
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the cluster script: {e}"))?;
        let stdin = script.stdin.take().ok_or("no stdin")?;
        let mut stdout = BufReader::new(script.stdout.take().ok_or("no stdout")?);
        expect(&mut stdout, "ready")?;
        Ok(Cluster {
            port,
            control: Mutex::new((stdin, stdout)),
            _script: script,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of `database` on this cluster.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/{database}?connect_timeout=5",
            self.port
        )
    }

    /// A new empty database, and its URL.
    pub fn database(&self) -> String {
        let name = format!(
            "t{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach the test cluster: {e}"));
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        self.url(&name)
    }

    /// Stops the server (fast shutdown: connections are cut), as an outage would.
    pub fn stop(&self) {
        self.command("stop", "stopped");
    }

    /// Starts it again on the same port with the same data.
    pub fn restart(&self) {
        self.command("start", "started");
    }

    fn command(&self, command: &str, answer: &str) {
        let mut guard = self.control.lock().unwrap();
        let (stdin, stdout) = &mut *guard;
        writeln!(stdin, "{command}").unwrap();
        stdin.flush().unwrap();
        expect(stdout, answer).unwrap();
    }
}

/// The cluster this test process's tests share, made on first use.
pub fn shared() -> &'static Cluster {
    static SHARED: OnceLock<Cluster> = OnceLock::new();
    SHARED.get_or_init(|| {
        Cluster::start().unwrap_or_else(|e| {
            panic!(
                "cannot start a throw-away PostgreSQL for the tests ({e}); install Debian's \
                 postgresql (scripts/setup.sh --test) or set LAKEPLAN_PG_BIN"
            )
        })
    })
}

/// A fresh database on the shared cluster: its URL.
pub fn database() -> String {
    shared().database()
}

static SEQ: AtomicU32 = AtomicU32::new(0);

fn expect(stdout: &mut impl BufRead, wanted: &str) -> Result<(), String> {
    let mut line = String::new();
    stdout
        .read_line(&mut line)
        .map_err(|e| format!("the cluster script: {e}"))?;
    if line.trim() == wanted {
        Ok(())
    } else if line.is_empty() {
        Err("the cluster script ended".into())
    } else {
        Err(line.trim().to_string())
    }
}

fn pg_bin() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("LAKEPLAN_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let base = Path::new("/usr/lib/postgresql");
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(base)
        .map_err(|e| format!("{}: {e}", base.display()))?
        .filter_map(Result::ok)
        .filter_map(|d| {
            let version = d.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = d.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| format!("no initdb under {}", base.display()))
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
