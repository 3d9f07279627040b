//! A real PostgreSQL (Debian's `postgresql`) for the tests: `initdb` and `pg_ctl` in a temporary
//! folder, run as the `postgres` user through `runuser` when the tests run as root, listening on a
//! Unix socket in that folder and on 127.0.0.1 at a free port only; stopped and removed on drop.
//! The superuser is `desk`: trusted over the socket, password `secret` (SCRAM) over TCP.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const USER: &str = "desk";
pub const PASSWORD: &str = "secret";
pub const NEEDS: &str = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)";

pub struct Postgres {
    pub dir: tempfile::TempDir,
    pub port: u16,
    bin: PathBuf,
    root: bool,
}

impl Postgres {
    pub fn start() -> Postgres {
        Postgres::start_with(None)
    }

    /// Also speaking TLS with `cert.pem` and `key.pem` (PEM texts) from the caller.
    pub fn start_with_tls(cert: &str, key: &str) -> Postgres {
        Postgres::start_with(Some((cert, key)))
    }

    fn start_with(tls: Option<(&str, &str)>) -> Postgres {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let root = unsafe { libc::geteuid() } == 0;
        let pg = Postgres { port: super::dovecot::free_port(), bin: binaries(), root, dir };
        std::fs::write(pg.path("pwfile"), format!("{PASSWORD}\n")).unwrap();
        std::fs::create_dir(pg.path("socket")).unwrap();
        if let Some((cert, key)) = tls {
            std::fs::write(pg.path("server.crt"), cert).unwrap();
            std::fs::write(pg.path("server.key"), key).unwrap();
            std::fs::set_permissions(pg.path("server.key"), std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        if root {
            let (uid, gid) = postgres_ids();
            for entry in [pg.dir.path().to_path_buf(), pg.path("pwfile"), pg.path("socket")]
                .into_iter()
                .chain(tls.map(|_| pg.path("server.crt")))
                .chain(tls.map(|_| pg.path("server.key")))
            {
                std::os::unix::fs::chown(&entry, Some(uid), Some(gid)).unwrap();
            }
        }
        let data = pg.path("data");
        pg.run(
            "initdb",
            &[
                "-D",
                &data.display().to_string(),
                "-U",
                USER,
                "--pwfile",
                &pg.path("pwfile").display().to_string(),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        );
        let mut options = format!(
            "-k {} -c listen_addresses=127.0.0.1 -p {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            pg.path("socket").display(),
            pg.port
        );
        if tls.is_some() {
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                pg.path("server.crt").display(),
                pg.path("server.key").display()
            ));
        }
        pg.run(
            "pg_ctl",
            &[
                "-D",
                &data.display().to_string(),
                "-l",
                &pg.path("server.log").display().to_string(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
        pg
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The folder of the server's Unix socket.
    pub fn socket_dir(&self) -> PathBuf {
        self.path("socket")
    }

    /// A URL of `database` over the Unix socket (trusted: no password).
    pub fn socket_url(&self, database: &str) -> String {
        format!("postgres://{USER}@:{}/{database}?host={}", self.port, self.socket_dir().display())
    }

    /// A URL of `database` over TCP on loopback (SCRAM: the password is needed).
    pub fn tcp_url(&self, database: &str, sslmode: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}?sslmode={sslmode}", self.port)
    }

    /// A new, empty database.
    pub fn create_database(&self, name: &str) {
        let mut client = self.client("postgres");
        client.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
    }

    /// A plain connection over the socket, for the tests' own queries.
    pub fn client(&self, database: &str) -> postgres::Client {
        postgres::Config::new()
            .host_path(self.socket_dir())
            .port(self.port)
            .user(USER)
            .dbname(database)
            .connect(postgres::NoTls)
            .unwrap_or_else(|e| panic!("connecting to the test PostgreSQL: {e}\n{}", self.log()))
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path("server.log")).unwrap_or_default()
    }

    fn run(&self, program: &str, args: &[&str]) {
        let binary = self.bin.join(program);
        let mut command = match self.root {
            true => {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(&binary);
                c
            }
            false => Command::new(&binary),
        };
        let output = command
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{NEEDS}: cannot run {}: {e}", binary.display()));
        assert!(
            output.status.success(),
            "{program} failed: {}\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            self.log()
        );
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.path("data").display().to_string();
        let binary = self.bin.join("pg_ctl");
        let mut command = match self.root {
            true => {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(&binary);
                c
            }
            false => Command::new(&binary),
        };
        let _ = command.args(["-D", &data, "-m", "immediate", "-w", "stop"]).stdout(Stdio::null()).status();
    }
}

/// The folder of `initdb` and `pg_ctl`: on the PATH, else Debian's newest version's.
fn binaries() -> PathBuf {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return dir;
            }
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    versions.retain(|dir| dir.join("initdb").is_file());
    versions.sort();
    versions.pop().unwrap_or_else(|| panic!("{NEEDS}: no initdb on the PATH or in /usr/lib/postgresql"))
}

fn postgres_ids() -> (u32, u32) {
    let name = std::ffi::CString::new("postgres").unwrap();
    // SAFETY: NUL-terminated name; the entry is read at once.
    let entry = unsafe { libc::getpwnam(name.as_ptr()) };
    assert!(!entry.is_null(), "{NEEDS}: there is no postgres user to run it as root");
    unsafe { ((*entry).pw_uid, (*entry).pw_gid) }
}

/// The SQLite file's connection, for comparing with PostgreSQL.
pub fn sqlite(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}
