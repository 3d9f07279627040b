//! A real Dovecot (Debian's `dovecot-imapd`) for the IMAP tests: started unprivileged on a free
//! loopback port in a temporary folder with its own config, a passwd-file user `desk` (password
//! `secret`) and a Maildir the tests fill by writing files into it.

use frontdesk::config::{InboundConfig, Security};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "desk";
pub const PASSWORD: &str = "secret";

pub struct Dovecot {
    pub dir: tempfile::TempDir,
    pub port: u16,
    /// The implicit-TLS port, with a certificate for `localhost` signed by a CA made for the
    /// test ([`Dovecot::ca_file`]), when started so.
    pub tls_port: Option<u16>,
    master: Option<Child>,
    /// Who owns the mail: the current user, or `nobody` when the tests run as root (Dovecot
    /// refuses mail access as UID 0).
    owner: (u32, u32),
    delivered: u32,
}

impl Dovecot {
    pub fn start() -> Dovecot {
        Dovecot::start_with(false)
    }

    /// Also listening with TLS on `tls_port` (and STARTTLS on `port`), with a certificate that a CA
    /// made for the test signed.
    pub fn start_with_tls() -> Dovecot {
        Dovecot::start_with(true)
    }

    fn start_with(tls: bool) -> Dovecot {
        let dir = tempfile::tempdir().unwrap();
        // Dovecot's own users (and `nobody` under root) must reach the folder.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let root = unsafe { libc::geteuid() } == 0;
        let owner = if root { (65534, 65534) } else { unsafe { (libc::getuid(), libc::getgid()) } };
        let port = free_port();
        let tls_port = tls.then(free_port);
        let mut dovecot = Dovecot { dir, port, tls_port, master: None, owner, delivered: 0 };
        if tls {
            dovecot.make_certificate();
        }
        dovecot.write_config(root);
        dovecot.make_inbox();
        dovecot.run();
        dovecot
    }

    fn write_config(&self, root: bool) {
        let d = self.dir.path().display();
        let me = whoami();
        let (internal, group, login) =
            if root { ("dovecot", "dovecot", "dovenull") } else { (&me[..], &me[..], &me[..]) };
        let config = format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {d}/run\nstate_dir = {d}/state\n\
             instance_name = frontdesk-test-{port}\nlog_path = {d}/dovecot.log\n\
             default_internal_user = {internal}\ndefault_internal_group = {group}\ndefault_login_user = {login}\n\
             {ssl}\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\nauth_verbose = yes\n\
             first_valid_uid = 1\nmail_location = maildir:{d}/mail/%u\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/users\n}}\n\
             userdb {{\n  driver = passwd-file\n  args = username_format=%u {d}/users\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {imaps}\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n\
             service stats {{\n  unix_listener stats-writer {{\n    mode = 0666\n  }}\n}}\n",
            port = self.port,
            imaps = self.tls_port.unwrap_or(0),
            ssl = match self.tls_port {
                Some(_) => format!("ssl = yes\nssl_cert = <{d}/cert.pem\nssl_key = <{d}/key.pem"),
                None => "ssl = no".into(),
            },
        );
        std::fs::write(self.path("dovecot.conf"), config).unwrap();
        let (uid, gid) = self.owner;
        std::fs::write(self.path("users"), format!("{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{d}/mail/{USER}\n"))
            .unwrap();
    }

    /// A CA made for this server (`ca.pem`, trusted by nobody but who is told to) and the
    /// certificate for `localhost` it signed (`cert.pem`, `key.pem`).
    fn make_certificate(&self) {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, "frontdesk Dovecot test CA");
        let ca_key = KeyPair::generate().unwrap();
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let key = KeyPair::generate().unwrap();
        let cert =
            CertificateParams::new(vec!["localhost".to_string()]).unwrap().signed_by(&key, &ca, &ca_key).unwrap();
        std::fs::write(self.ca_file(), ca.pem()).unwrap();
        std::fs::write(self.path("cert.pem"), cert.pem()).unwrap();
        std::fs::write(self.path("key.pem"), key.serialize_pem()).unwrap();
    }

    /// The PEM file of the CA that signed the TLS certificate (when started with TLS).
    pub fn ca_file(&self) -> PathBuf {
        self.path("ca.pem")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The INBOX's Maildir.
    pub fn inbox(&self) -> PathBuf {
        self.path("mail").join(USER)
    }

    fn make_inbox(&self) {
        for sub in ["", "/cur", "/new", "/tmp"] {
            let path = PathBuf::from(format!("{}{sub}", self.inbox().display()));
            std::fs::create_dir_all(&path).unwrap();
            self.own(&path);
        }
        self.own(&self.path("mail"));
    }

    fn own(&self, path: &Path) {
        std::os::unix::fs::chown(path, Some(self.owner.0), Some(self.owner.1)).unwrap();
    }

    /// Start the master in the foreground (`-F`) and wait until it greets on its port.
    pub fn run(&mut self) {
        let conf = self.path("dovecot.conf");
        let master = Command::new(binary())
            .arg("-F")
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("needs Dovecot: apt-get install dovecot-imapd (see .ci/run)");
        self.master = Some(master);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "Dovecot did not listen on {}: {}", self.port, self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stop the master (SIGTERM) and wait for it; its sessions end with it.
    pub fn stop(&mut self) {
        if let Some(mut master) = self.master.take() {
            unsafe { libc::kill(master.id() as i32, libc::SIGTERM) };
            let _ = master.wait();
        }
    }

    /// SIGKILL every `imap` session process of this instance: connections drop mid-command.
    pub fn kill_sessions(&self) -> usize {
        let Some(master) = &self.master else { return 0 };
        let mut killed = 0;
        for pid in children_of(master.id()) {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if comm.trim() == "imap" {
                unsafe { libc::kill(pid as i32, libc::SIGKILL) };
                killed += 1;
            }
        }
        killed
    }

    /// Put one mail in the INBOX as an MTA would: written in tmp/, renamed into new/.
    pub fn deliver(&mut self, raw: &[u8]) {
        self.delivered += 1;
        let name = format!("{}.{}_{}.test", now_secs(), std::process::id(), self.delivered);
        let tmp = self.inbox().join("tmp").join(&name);
        std::fs::write(&tmp, raw).unwrap();
        self.own(&tmp);
        std::fs::rename(&tmp, self.inbox().join("new").join(&name)).unwrap();
    }

    /// Throw the INBOX away with Dovecot's UID list and indexes and make it anew: a new UIDVALIDITY.
    pub fn recreate_inbox(&mut self) {
        self.stop();
        std::fs::remove_dir_all(self.inbox()).unwrap();
        // UIDVALIDITY is taken from the clock in seconds: the new one must differ.
        std::thread::sleep(Duration::from_millis(1100));
        self.make_inbox();
        self.run();
    }

    /// Mails in cur/ whose Maildir flags say seen.
    pub fn seen_count(&self) -> usize {
        let cur = std::fs::read_dir(self.inbox().join("cur")).unwrap();
        cur.filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().rsplit(":2,").next().is_some_and(|f| f.contains('S')))
            .count()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path("dovecot.log")).unwrap_or_default()
    }

    /// This server as a `[[mail.inbound]]` mailbox, in clear text (loopback).
    pub fn mailbox(&self, name: &str) -> InboundConfig {
        InboundConfig {
            name: name.into(),
            host: "127.0.0.1".into(),
            port: self.port,
            security: Security::None,
            username: USER.into(),
            password_command: Some(format!("echo {PASSWORD}")),
            ..InboundConfig::default()
        }
    }

    /// The same as a config file's text, for the binary.
    pub fn config_toml(&self, name: &str, extra: &str) -> String {
        format!(
            "[mail]\naddress = \"support@desk.example\"\n\n[[mail.inbound]]\nname = \"{name}\"\nhost = \"127.0.0.1\"\n\
             port = {}\nsecurity = \"none\"\nusername = \"{USER}\"\npassword_command = \"echo {PASSWORD}\"\n{extra}\n",
            self.port
        )
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `dovecot` on the PATH, else where Debian puts it (a user's PATH often lacks /usr/sbin).
fn binary() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join("dovecot")).find(|p| p.is_file()));
    on_path.unwrap_or_else(|| PathBuf::from("/usr/sbin/dovecot"))
}

/// Whether a Dovecot binary is there to start.
pub fn installed() -> bool {
    binary().is_file()
}

/// A loopback port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn whoami() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return vec![] };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // The parent is the second field after the command's closing parenthesis.
            let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
            after.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok()) == Some(parent)
        })
        .collect()
}

/// A plain mail with its own Message-ID.
pub fn mail(n: usize) -> Vec<u8> {
    format!(
        "From: Customer {n} <customer{n}@shop.example>\r\nTo: support@desk.example\r\n\
         Subject: Question number {n}\r\nMessage-ID: <question-{n}@shop.example>\r\n\
         Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nHello, this is question {n}.\r\n"
    )
    .into_bytes()
}

/// The HMAC key (HS256) Dovecot's oauth2 passdb checks access tokens with, when started so.
pub const OAUTH_KEY: &[u8] = b"frontdesk test key for HS256 access tokens";

impl Dovecot {
    /// Also taking `AUTHENTICATE XOAUTH2` (and OAUTHBEARER) with a JWT access token signed with
    /// [`OAUTH_KEY`]: Dovecot's oauth2 passdb validates it itself (`introspection_mode = local`,
    /// the key under `oauth-keys/default/HS256/default`), and its `sub` must be the user.
    pub fn start_with_oauth() -> Dovecot {
        use base64::Engine;
        let mut dovecot = Dovecot::start();
        dovecot.stop();
        let keys = dovecot.path("oauth-keys");
        // The dict path is <azp>/<alg>/<kid>: a token without azp and kid takes "default" for both.
        std::fs::create_dir_all(keys.join("default/HS256")).unwrap();
        let key = base64::engine::general_purpose::STANDARD.encode(OAUTH_KEY);
        std::fs::write(keys.join("default/HS256/default"), key).unwrap();
        let ext = dovecot.path("oauth2.conf.ext");
        std::fs::write(
            &ext,
            format!(
                "introspection_mode = local\nlocal_validation_key_dict = fs:posix:prefix={}/\nusername_attribute = sub\n",
                keys.display()
            ),
        )
        .unwrap();
        // Appended: the later auth_mechanisms wins, and this passdb comes after the passwd-file one.
        let mut conf = std::fs::read_to_string(dovecot.path("dovecot.conf")).unwrap();
        conf.push_str(&format!(
            "auth_mechanisms = plain login xoauth2 oauthbearer\n\
             passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {}\n}}\n",
            ext.display()
        ));
        std::fs::write(dovecot.path("dovecot.conf"), conf).unwrap();
        dovecot.run();
        dovecot
    }
}

/// A JWT access token for `user` signed (HS256) with `key`, issued now and expiring
/// `expires_in` seconds from now (negative: already expired).
pub fn access_token(user: &str, key: &[u8], expires_in: i64) -> String {
    use base64::Engine;
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let now = now_secs() as i64;
    let header = url.encode(serde_json::json!({"alg": "HS256", "typ": "JWT"}).to_string());
    let claims = serde_json::json!({"sub": user, "iat": now.min(now + expires_in), "exp": now + expires_in});
    let signed = format!("{header}.{}", url.encode(claims.to_string()));
    let signature = ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key), signed.as_bytes());
    format!("{signed}.{}", url.encode(signature.as_ref()))
}
